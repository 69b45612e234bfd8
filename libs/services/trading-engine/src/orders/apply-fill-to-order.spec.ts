import { assertValidOrder, type Fill } from '@rrr/core';
import { applyFillToOrder } from './apply-fill-to-order';
import type { OmsOrder } from './oms-order';
import { transitionOrder } from './transition-order';

const T0 = Date.UTC(2024, 0, 2, 10);

const accepted: OmsOrder = {
  id: 'O-1',
  clientOrderId: 'c-1',
  symbol: 'BTC-USD',
  side: 'buy',
  type: 'limit',
  price: 100,
  quantity: 3,
  timeInForce: 'GTC',
  status: 'accepted',
  filledQuantity: 0,
  averageFillPrice: null,
  createdAt: T0,
  updatedAt: T0,
  version: 2,
  venue: 'paper',
  requestFingerprint: '[]',
};

const fill = (id: string, quantity: number, price: number, ts = T0 + 1_000): Fill => ({
  id,
  orderId: 'O-1',
  symbol: 'BTC-USD',
  side: 'buy',
  quantity,
  price,
  fee: 0,
  feeCurrency: 'USD',
  liquidity: 'maker',
  ts,
});

describe('applyFillToOrder', () => {
  it('moves accepted → partially-filled → filled with a quantity-weighted average and one version per fill', () => {
    const partial = applyFillToOrder(accepted, fill('F-1', 1, 99));
    expect(partial).toMatchObject({ status: 'partially-filled', filledQuantity: 1, averageFillPrice: 99, version: 3 });
    const full = applyFillToOrder(partial, fill('F-2', 2, 99.6, T0 + 2_000));
    expect(full).toMatchObject({ status: 'filled', filledQuantity: 3, version: 4, updatedAt: T0 + 2_000 });
    expect(full.averageFillPrice).toBeCloseTo((99 + 2 * 99.6) / 3, 12);
    expect(assertValidOrder(full)).toBe(full);
    expect(accepted.status).toBe('accepted');
  });

  it('completes an order whose partial fills sum to its quantity only within rounding (0.1 + 0.2 of 0.3)', () => {
    const order = { ...accepted, quantity: 0.3 };
    const done = applyFillToOrder(applyFillToOrder(order, fill('F-1', 0.1, 100)), fill('F-2', 0.2, 100));
    expect(done.status).toBe('filled');
    expect(done.filledQuantity).toBe(0.3);
  });

  it('refuses a fill larger than the remainder, of another order, or on a terminal order (CONFLICT)', () => {
    expect(() => applyFillToOrder(accepted, fill('F-9', 3.5, 100))).toThrow(
      'fill F-9 of 3.5 exceeds the 3 remaining on order O-1',
    );
    expect(() => applyFillToOrder(accepted, { ...fill('F-9', 1, 100), orderId: 'O-2' })).toThrow(
      'fill F-9 belongs to order O-2, not O-1',
    );
    const cancelled = transitionOrder(accepted, 'cancelled', T0 + 5);
    expect(() => applyFillToOrder(cancelled, fill('F-9', 1, 100))).toThrow(/remaining|illegal transition/);
    const partial = applyFillToOrder(accepted, fill('F-1', 1, 99));
    const partialCancelled = transitionOrder(partial, 'cancelled', T0 + 5);
    expect(() => applyFillToOrder(partialCancelled, fill('F-3', 1, 100))).toThrow(
      'order O-1: illegal transition cancelled → partially-filled',
    );
  });
});
