import fc from 'fast-check';
import { ValidationError } from '../errors';
import { DEFAULT_QUOTE_CURRENCY, isValidSymbol, splitSymbol } from './symbol';

describe('isValidSymbol', () => {
  it.each(['BTC-USD', 'ETH/USDT', 'SPX', 'AAPL', '1000SHIB-USDT', 'ABCDEFGHIJ-KLMNOPQRS'])('accepts %s', (s) => {
    expect(isValidSymbol(s)).toBe(true);
  });

  it.each([
    ['lower case', 'btc-usd'],
    ['too short', 'BT'],
    ['too long (21)', 'ABCDEFGHIJ-KLMNOPQRST'],
    ['double separator', 'BTC--USD'],
    ['trailing separator', 'BTC-'],
    ['leading separator', '-BTC'],
    ['three parts', 'BTC-USD-PERP'],
    ['space', 'BTC USD'],
    ['underscore', 'BTC_USD'],
    ['empty', ''],
  ])('rejects %s', (_why, s) => {
    expect(isValidSymbol(s)).toBe(false);
  });

  it('rejects non-strings', () => {
    for (const v of [123, null, undefined, ['BTC'], { symbol: 'BTC' }]) expect(isValidSymbol(v)).toBe(false);
  });

  it('counts the separator towards the 3–20 length', () => {
    expect(isValidSymbol('A-B')).toBe(true);
    expect(isValidSymbol('A'.repeat(20))).toBe(true);
    expect(isValidSymbol('A'.repeat(21))).toBe(false);
  });
});

describe('splitSymbol', () => {
  it('splits on either separator', () => {
    expect(splitSymbol('BTC-USD')).toEqual({ base: 'BTC', quote: 'USD', quoteImplied: false });
    expect(splitSymbol('ETH/USDT')).toEqual({ base: 'ETH', quote: 'USDT', quoteImplied: false });
  });

  it('gives a bare ticker the default quote currency and says so', () => {
    expect(DEFAULT_QUOTE_CURRENCY).toBe('USD');
    expect(splitSymbol('SPX')).toEqual({ base: 'SPX', quote: 'USD', quoteImplied: true });
  });

  it('throws a ValidationError naming the field for a non-symbol', () => {
    expect(() => splitSymbol('btc-usd')).toThrow(ValidationError);
    expect(() => splitSymbol('btc-usd')).toThrow(/^symbol: symbol: must be 3-20 characters matching/);
  });

  it('round-trips any valid base/quote pair (property)', () => {
    const token = fc.stringMatching(/^[A-Z0-9]{1,9}$/);
    fc.assert(
      fc.property(token, token, fc.constantFrom('-', '/'), (base, quote, sep) => {
        const symbol = `${base}${sep}${quote}`;
        fc.pre(symbol.length >= 3);
        expect(splitSymbol(symbol)).toEqual({ base, quote, quoteImplied: false });
      }),
    );
  });
});
