import { ValidationError } from '@rrr/core';
import type { OmsOrder } from './oms-order';
import { applyOrderModification } from './order-modification';

const T0 = Date.UTC(2024, 0, 2, 10);
const limit: OmsOrder = {
  id: 'O-1',
  clientOrderId: 'c-1',
  symbol: 'ETH-USD',
  side: 'buy',
  type: 'limit',
  price: 2_000,
  quantity: 2,
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

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) {
      expect(error.code).toBe('ORDER_INVALID');
      return error.problems.map((p) => `${p.field}: ${p.message}`);
    }
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('applyOrderModification', () => {
  it('changes price and quantity of a working limit order, bumping the version', () => {
    const next = applyOrderModification(limit, { price: 1_990, quantity: 3 }, T0 + 10);
    expect(next).toMatchObject({ price: 1_990, quantity: 3, version: 3, updatedAt: T0 + 10, status: 'accepted' });
  });

  it('refuses fields the type does not take and unknown fields, naming them', () => {
    expect(problemsOf(() => applyOrderModification(limit, { stopPrice: 1_900 }, T0))).toEqual([
      'stopPrice: is not a field of this limit order',
    ]);
    expect(
      problemsOf(() => applyOrderModification(limit, { side: 'sell' } as unknown as { price: number }, T0)),
    ).toEqual(['side: cannot be modified (only quantity, price, stopPrice, trailingPercent, trailingAmount)']);
    expect(problemsOf(() => applyOrderModification(limit, {}, T0))).toEqual(['(root): names nothing to change']);
  });

  it('keeps the new quantity above what already filled and values within the request ranges', () => {
    const partial: OmsOrder = { ...limit, status: 'partially-filled', filledQuantity: 1.5, averageFillPrice: 2_000 };
    expect(problemsOf(() => applyOrderModification(partial, { quantity: 1.5 }, T0))).toEqual([
      'quantity: must exceed the 1.5 already filled',
    ]);
    expect(applyOrderModification(partial, { quantity: 1.6 }, T0).quantity).toBe(1.6);
    expect(problemsOf(() => applyOrderModification(limit, { price: -5 }, T0))).toEqual([
      'price: must be > 0 and < 10000000 (got -5)',
    ]);
  });

  it('only modifies working orders (CONFLICT otherwise) and never a triggered stop trigger', () => {
    expect(() => applyOrderModification({ ...limit, status: 'filled', filledQuantity: 2 }, { price: 1 }, T0)).toThrow(
      'order O-1 is filled: only a working order can be modified',
    );
    expect(() => applyOrderModification({ ...limit, status: 'pending-new' }, { price: 1 }, T0)).toThrow(
      'order O-1 is pending-new: only a working order can be modified',
    );
    const stop: OmsOrder = { ...limit, type: 'stop', price: undefined, stopPrice: 1_800, triggeredAt: T0 + 5 };
    expect(() => applyOrderModification(stop, { stopPrice: 1_700 }, T0)).toThrow(/has triggered/);
  });

  it('lets a held bracket exit (pending-new with a parent) move its price', () => {
    const exit: OmsOrder = {
      ...limit,
      status: 'pending-new',
      parentId: 'O-0',
      bracketRole: 'take-profit',
      side: 'sell',
    };
    expect(applyOrderModification(exit, { price: 2_100 }, T0).price).toBe(2_100);
  });
});
