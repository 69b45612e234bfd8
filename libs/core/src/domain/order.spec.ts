import fc from 'fast-check';
import { ValidationError } from '../errors';
import { assertValidOrder, orderRemainingQuantity, validateOrder, type Order } from './order';

const accepted: Order = {
  id: 'ord-1',
  clientOrderId: 'cli-1',
  symbol: 'BTC-USD',
  side: 'buy',
  type: 'limit',
  quantity: 2,
  price: 100,
  timeInForce: 'GTC',
  status: 'accepted',
  filledQuantity: 0,
  averageFillPrice: null,
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
};
const fields = (input: unknown) => validateOrder(input).map((p) => p.field);
const messages = (input: unknown) => validateOrder(input).map((p) => `${p.field}: ${p.message}`);

describe('validateOrder', () => {
  it('accepts orders whose fill progress matches their status', () => {
    expect(validateOrder(accepted)).toEqual([]);
    expect(
      validateOrder({ ...accepted, status: 'partially-filled', filledQuantity: 0.5, averageFillPrice: 99.5 }),
    ).toEqual([]);
    expect(validateOrder({ ...accepted, status: 'filled', filledQuantity: 2, averageFillPrice: 99.5 })).toEqual([]);
    expect(validateOrder({ ...accepted, status: 'cancelled', filledQuantity: 0.5, averageFillPrice: 99 })).toEqual([]);
    expect(validateOrder({ ...accepted, status: 'rejected', rejectReason: 'insufficient margin' })).toEqual([]);
  });

  it('counts a sum of partial fills that misses the quantity by float rounding as filled', () => {
    const order = { ...accepted, quantity: 0.3, status: 'filled', filledQuantity: 0.1 + 0.2, averageFillPrice: 100 };
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(validateOrder(order)).toEqual([]);
  });

  it('rejects fill progress that contradicts the status', () => {
    expect(messages({ ...accepted, filledQuantity: 1, averageFillPrice: 100 })).toEqual([
      'filledQuantity: must be 0 while the order is accepted (got 1)',
    ]);
    expect(messages({ ...accepted, status: 'filled', filledQuantity: 1, averageFillPrice: 100 })).toEqual([
      'filledQuantity: must equal quantity = 2 once the order is filled (got 1)',
    ]);
    expect(fields({ ...accepted, status: 'partially-filled', filledQuantity: 2, averageFillPrice: 100 })).toEqual([
      'filledQuantity',
    ]);
    expect(fields({ ...accepted, status: 'partially-filled' })).toEqual(['filledQuantity']);
    expect(fields({ ...accepted, status: 'expired', filledQuantity: 2, averageFillPrice: 100 })).toEqual([
      'filledQuantity',
    ]);
    expect(messages({ ...accepted, status: 'cancelled', filledQuantity: 3, averageFillPrice: 100 })).toEqual([
      'filledQuantity: must be <= quantity = 2 (got 3)',
    ]);
  });

  it('keeps averageFillPrice null exactly until the first fill', () => {
    expect(messages({ ...accepted, averageFillPrice: 100 })).toEqual([
      'averageFillPrice: must be null while nothing is filled (got 100)',
    ]);
    expect(messages({ ...accepted, status: 'filled', filledQuantity: 2 })).toEqual([
      'averageFillPrice: must be a price once filledQuantity > 0 (got null)',
    ]);
    const { averageFillPrice: _omitted, ...withoutAverage } = accepted;
    expect(messages(withoutAverage)).toEqual(['averageFillPrice: is required (null until the first fill)']);
  });

  it('requires identity, defaults filled in and ordered timestamps', () => {
    const { id: _id, clientOrderId: _c, timeInForce: _t, ...bare } = accepted;
    expect(fields(bare)).toEqual(['timeInForce', 'clientOrderId', 'id']);
    expect(messages({ ...accepted, updatedAt: accepted.createdAt - 1 })).toEqual([
      `updatedAt: must be >= createdAt = ${accepted.createdAt} (got ${accepted.createdAt - 1})`,
    ]);
  });

  it('holds the order to the rules of its request', () => {
    expect(fields({ ...accepted, price: undefined, quantity: 'abc', status: 'open' })).toEqual([
      'quantity',
      'price',
      'status',
    ]);
  });

  it('assertValidOrder throws ORDER_INVALID', () => {
    expect(assertValidOrder(accepted)).toBe(accepted);
    expect(() => assertValidOrder({ ...accepted, status: 'filled' })).toThrow(ValidationError);
    expect(() => assertValidOrder({ ...accepted, status: 'filled' })).toThrow(
      expect.objectContaining({ code: 'ORDER_INVALID' }),
    );
  });
});

describe('orderRemainingQuantity', () => {
  it('is quantity minus filled, never negative, zero within rounding of full', () => {
    expect(orderRemainingQuantity({ quantity: 2, filledQuantity: 0.5 })).toBe(1.5);
    expect(orderRemainingQuantity({ quantity: 2, filledQuantity: 2.5 })).toBe(0);
    expect(orderRemainingQuantity({ quantity: 0.3, filledQuantity: 0.1 + 0.2 })).toBe(0);
    expect(orderRemainingQuantity({ quantity: 0.3 + 1e-12, filledQuantity: 0.3 })).toBe(0);
    expect(orderRemainingQuantity({ quantity: 0.3 + 1e-6, filledQuantity: 0.3 })).toBe(0.3 + 1e-6 - 0.3);
  });

  it('plus the filled quantity gives back the order quantity (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (q, f) => {
          const filled = q * f;
          const remaining = orderRemainingQuantity({ quantity: q, filledQuantity: filled });
          expect(remaining).toBeGreaterThanOrEqual(0);
          expect(Math.abs(remaining + filled - q)).toBeLessThanOrEqual(1e-9 * q);
        },
      ),
    );
  });
});
