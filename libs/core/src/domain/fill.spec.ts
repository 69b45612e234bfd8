import { ValidationError } from '../errors';
import { assertValidFill, validateFill, type Fill } from './fill';

const fill: Fill = {
  id: 'f-1',
  orderId: 'ord-1',
  symbol: 'BTC-USD',
  side: 'sell',
  quantity: 0.25,
  price: 42_000,
  fee: 10.5,
  feeCurrency: 'USD',
  liquidity: 'taker',
  ts: 1_700_000_000_500,
};
const messages = (input: unknown) => validateFill(input).map((p) => `${p.field}: ${p.message}`);

describe('validateFill', () => {
  it('accepts a fill, with a client order id and with a maker rebate (negative fee)', () => {
    expect(validateFill(fill)).toEqual([]);
    expect(
      validateFill({ ...fill, clientOrderId: 'cli-9', fee: -0.2, liquidity: 'maker', feeCurrency: 'USDT' }),
    ).toEqual([]);
  });

  it('accepts a partial fill below the minimum order quantity', () => {
    expect(validateFill({ ...fill, quantity: 1e-8 })).toEqual([]);
  });

  it('checks quantity, fee, fee currency and liquidity', () => {
    expect(messages({ ...fill, quantity: 0 })).toEqual(['quantity: must be > 0 and <= 1000000 (got 0)']);
    expect(messages({ ...fill, fee: Number.NaN })).toEqual(['fee: must be a finite number (got NaN)']);
    expect(messages({ ...fill, feeCurrency: 'usd' })).toEqual([
      'feeCurrency: must be a currency code of 2-12 characters A-Z or 0-9, e.g. "USD" (got "usd")',
    ]);
    expect(messages({ ...fill, liquidity: 'MAKER' })).toEqual([
      'liquidity: must be one of "maker", "taker" (got "MAKER")',
    ]);
  });

  it('reports all problems at once, missing ones included', () => {
    expect(validateFill({ id: 'f-1', symbol: 'BTC-USD', side: 'short', price: '42000' }).map((p) => p.field)).toEqual([
      'orderId',
      'side',
      'quantity',
      'price',
      'fee',
      'feeCurrency',
      'liquidity',
      'ts',
    ]);
  });

  it('assertValidFill throws VALIDATION_FAILED', () => {
    expect(assertValidFill(fill)).toBe(fill);
    expect(() => assertValidFill({ ...fill, ts: -1 })).toThrow(ValidationError);
    expect(() => assertValidFill({ ...fill, ts: -1 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
