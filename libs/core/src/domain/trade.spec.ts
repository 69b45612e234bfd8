import fc from 'fast-check';
import { ValidationError } from '../errors';
import { assertValidTrade, validateTrade, type Trade } from './trade';

const trade: Trade = { symbol: 'ETH/USDT', ts: 1_700_000_000_123, price: 2_000.5, quantity: 0.25 };
const messages = (input: unknown) => validateTrade(input).map((p) => `${p.field}: ${p.message}`);

describe('validateTrade', () => {
  it('accepts a trade with and without aggressor side and id', () => {
    expect(validateTrade(trade)).toEqual([]);
    expect(validateTrade({ ...trade, side: 'sell', id: '987654321' })).toEqual([]);
  });

  it('checks price range, positive quantity, side and id', () => {
    expect(messages({ ...trade, price: 0 })).toEqual(['price: must be > 0 and < 10000000 (got 0)']);
    expect(messages({ ...trade, quantity: 0 })).toEqual(['quantity: must be > 0 (got 0)']);
    expect(messages({ ...trade, side: 'B' })).toEqual(['side: must be one of "buy", "sell" (got "B")']);
    expect(validateTrade({ ...trade, id: '' }).map((p) => p.field)).toEqual(['id']);
  });

  it('rejects strings and NaN where numbers belong', () => {
    expect(messages({ ...trade, quantity: 'abc' })).toEqual(['quantity: must be a finite number (got "abc")']);
    expect(messages({ ...trade, price: Number.NaN })).toEqual(['price: must be a finite number (got NaN)']);
  });

  it('reports all problems at once, including missing fields', () => {
    expect(validateTrade({ symbol: 'BTCUSD!', price: -1, side: 'buy' }).map((p) => p.field)).toEqual([
      'symbol',
      'ts',
      'price',
      'quantity',
    ]);
  });

  it('assertValidTrade returns the trade or throws DATA_INVALID', () => {
    expect(assertValidTrade(trade)).toBe(trade);
    expect(() => assertValidTrade({ ...trade, ts: 0 })).toThrow(ValidationError);
    expect(() => assertValidTrade({ ...trade, ts: 0 })).toThrow(expect.objectContaining({ code: 'DATA_INVALID' }));
  });

  it('accepts any trade with a valid price and positive quantity (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-8, max: 9_999_999, noNaN: true }),
        fc.double({ min: 1e-12, max: 1e9, noNaN: true }),
        (price, quantity) => expect(validateTrade({ ...trade, price, quantity })).toEqual([]),
      ),
    );
  });
});
