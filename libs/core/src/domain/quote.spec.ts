import fc from 'fast-check';
import { ValidationError } from '../errors';
import { assertValidQuote, validateQuote, type Quote } from './quote';

const quote: Quote = {
  symbol: 'BTC-USD',
  ts: 1_700_000_000_000,
  bid: 42_000,
  ask: 42_000.5,
  bidSize: 1.2,
  askSize: 0.8,
};
const messages = (input: unknown) => validateQuote(input).map((p) => `${p.field}: ${p.message}`);

describe('validateQuote', () => {
  it('accepts a normal and a locked book, and empty sizes', () => {
    expect(validateQuote(quote)).toEqual([]);
    expect(validateQuote({ ...quote, ask: quote.bid })).toEqual([]);
    expect(validateQuote({ ...quote, bidSize: 0, askSize: 0 })).toEqual([]);
  });

  it('rejects a crossed book on the ask', () => {
    expect(messages({ ...quote, ask: 41_999 })).toEqual([
      'ask: must be >= bid = 42000: the book is crossed (got 41999)',
    ]);
  });

  it('checks prices and sizes', () => {
    expect(messages({ ...quote, bid: -1, askSize: -0.1 })).toEqual([
      'bid: must be > 0 and < 10000000 (got -1)',
      'askSize: must be >= 0 (got -0.1)',
    ]);
    expect(messages({ ...quote, bidSize: 'abc' })).toEqual(['bidSize: must be a finite number (got "abc")']);
  });

  it('reports every missing field', () => {
    expect(validateQuote({ symbol: 'BTC-USD' }).map((p) => p.field)).toEqual([
      'ts',
      'bid',
      'ask',
      'bidSize',
      'askSize',
    ]);
  });

  it('assertValidQuote throws DATA_INVALID', () => {
    expect(assertValidQuote(quote)).toBe(quote);
    expect(() => assertValidQuote({ ...quote, ask: 1 })).toThrow(ValidationError);
    expect(() => assertValidQuote({ ...quote, ask: 1 })).toThrow(/^quote: ask: must be >= bid/);
  });

  it('flags the ask exactly when ask < bid (property)', () => {
    const p = fc.double({ min: 0.01, max: 9_999_999, noNaN: true });
    fc.assert(
      fc.property(p, p, (bid, ask) => {
        const flagged = validateQuote({ ...quote, bid, ask }).some((x) => x.field === 'ask');
        expect(flagged).toBe(ask < bid);
      }),
    );
  });
});
