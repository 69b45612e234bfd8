import fc from 'fast-check';
import { ValidationError } from '../errors';
import { assertValidBar, validateBar, type Bar } from './bar';
import { INTERVALS } from './interval';

const bar: Bar = {
  symbol: 'BTC-USD',
  interval: '1h',
  ts: Date.UTC(2024, 0, 2, 10),
  open: 100,
  high: 110,
  low: 95,
  close: 105,
  volume: 12.5,
};

const fields = (input: unknown) => validateBar(input).map((p) => p.field);
const messages = (input: unknown) => validateBar(input).map((p) => `${p.field}: ${p.message}`);

describe('validateBar: hand-written cases', () => {
  it('accepts a well-formed bar, with or without vwap and trade count', () => {
    expect(validateBar(bar)).toEqual([]);
    expect(validateBar({ ...bar, vwap: 101.2, trades: 340 })).toEqual([]);
    expect(validateBar({ ...bar, vwap: null, trades: undefined })).toEqual([]);
  });

  it('bounds prices to 0 < price < 1e7 and names the expectation', () => {
    expect(messages({ ...bar, open: -5 })).toEqual(['open: must be > 0 and < 10000000 (got -5)']);
    expect(fields({ ...bar, low: 0 })).toEqual(['low']);
    expect(fields({ ...bar, high: 1e7 })).toEqual(['high']);
    expect(validateBar({ ...bar, high: 9_999_999.99 })).toEqual([]);
  });

  it('accepts zero volume and rejects negative volume', () => {
    expect(validateBar({ ...bar, volume: 0 })).toEqual([]);
    expect(messages({ ...bar, volume: -1 })).toEqual(['volume: must be >= 0 (got -1)']);
  });

  it('requires high >= max(open, close, low)', () => {
    expect(messages({ ...bar, high: 104 })).toEqual(['high: must be >= max(open, close, low) = 105 (got 104)']);
    expect(validateBar({ ...bar, high: 105 })).toEqual([]);
  });

  it('requires low <= min(open, close)', () => {
    expect(messages({ ...bar, low: 101 })).toEqual(['low: must be <= min(open, close) = 100 (got 101)']);
    expect(validateBar({ ...bar, low: 100 })).toEqual([]);
  });

  it('reports both ends when high and low are swapped', () => {
    expect(messages({ ...bar, high: 95, low: 110 })).toEqual([
      'high: must be >= max(open, close, low) = 110 (got 95)',
      'low: must be <= min(open, close) = 100 (got 110)',
    ]);
  });

  it('accepts a flat bar where every price is the same', () => {
    expect(validateBar({ ...bar, open: 50, high: 50, low: 50, close: 50, vwap: 50 })).toEqual([]);
  });

  it('keeps vwap inside [low, high], allowing only rounding slack', () => {
    expect(messages({ ...bar, vwap: 111 })).toEqual(['vwap: must lie within [low, high] = [95, 110] (got 111)']);
    expect(fields({ ...bar, vwap: 94.9 })).toEqual(['vwap']);
    expect(validateBar({ ...bar, vwap: 110 * (1 + 1e-12) })).toEqual([]);
  });

  it('wants the trade count to be a non-negative integer', () => {
    expect(messages({ ...bar, trades: 1.5 })).toEqual(['trades: must be an integer (got 1.5)']);
    expect(messages({ ...bar, trades: -1 })).toEqual(['trades: must be >= 0 (got -1)']);
    expect(validateBar({ ...bar, trades: 0 })).toEqual([]);
  });

  it('checks symbol, interval and timestamp', () => {
    expect(fields({ ...bar, symbol: 'btc-usd' })).toEqual(['symbol']);
    expect(messages({ ...bar, interval: '2h' })).toEqual([
      'interval: must be one of "1m", "5m", "15m", "1h", "4h", "1d" (got "2h")',
    ]);
    for (const ts of [0, -1, 1.5, '2024-01-02T10:00:00Z', Number.NaN]) expect(fields({ ...bar, ts })).toEqual(['ts']);
  });

  it('does not demand grid alignment (equity sessions open at 13:30 UTC)', () => {
    expect(validateBar({ ...bar, ts: Date.UTC(2024, 0, 2, 14, 30) })).toEqual([]);
  });

  it('rejects NaN, Infinity and numeric strings with the type expectation', () => {
    expect(messages({ ...bar, close: Number.NaN })).toEqual(['close: must be a finite number (got NaN)']);
    expect(messages({ ...bar, high: Infinity })).toEqual(['high: must be a finite number (got Infinity)']);
    expect(messages({ ...bar, volume: 'abc' })).toEqual(['volume: must be a finite number (got "abc")']);
    expect(messages({ ...bar, open: '100' })).toEqual(['open: must be a finite number (got "100")']);
  });

  it('reports every missing field', () => {
    expect(validateBar({})).toEqual(
      ['symbol', 'interval', 'ts', 'open', 'high', 'low', 'close', 'volume'].map((field) => ({
        field,
        message: 'is required',
        value: undefined,
      })),
    );
  });

  it('reports all problems at once, field by field', () => {
    const problems = validateBar({
      symbol: 'x',
      interval: '1h',
      ts: 1.5,
      open: 'abc',
      high: 90,
      low: 99,
      close: 100,
      volume: -3,
      vwap: Number.NaN,
    });
    expect(problems.map((p) => p.field)).toEqual(['symbol', 'ts', 'open', 'volume', 'vwap', 'high']);
    expect(problems.find((p) => p.field === 'high')?.message).toBe('must be >= max(open, close, low) = 100 (got 90)');
    expect(problems.find((p) => p.field === 'open')?.value).toBe('abc');
  });

  it('rejects a non-object input at the root', () => {
    expect(validateBar(null)).toEqual([{ field: '(root)', message: 'must be an object (got null)', value: null }]);
    expect(fields([bar])).toEqual(['(root)']);
  });
});

describe('assertValidBar', () => {
  it('returns the bar itself when valid', () => {
    expect(assertValidBar(bar)).toBe(bar);
  });

  it('throws DATA_INVALID (422) carrying every problem', () => {
    let caught: unknown;
    try {
      assertValidBar({ ...bar, open: -5, volume: -1 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const err = caught as ValidationError;
    expect(err.code).toBe('DATA_INVALID');
    expect(err.httpStatus).toBe(422);
    expect(err.message).toBe('bar: open: must be > 0 and < 10000000 (got -5); volume: must be >= 0 (got -1)');
    expect(err.problems.map((p) => p.field)).toEqual(['open', 'volume']);
  });
});

const price = fc.double({ min: 0.0001, max: 9_999_999, noNaN: true });

/** Bars that satisfy every rule by construction: four sorted prices give low <= open, close <= high. */
const validBar: fc.Arbitrary<Bar> = fc
  .record({
    symbol: fc.constantFrom('BTC-USD', 'ETH/USDT', 'SPX', 'AAPL'),
    interval: fc.constantFrom(...INTERVALS),
    ts: fc.integer({ min: 1, max: 4_102_444_800_000 }),
    prices: fc.array(price, { minLength: 4, maxLength: 4 }),
    openIsLower: fc.boolean(),
    volume: fc.double({ min: 0, max: 1e12, noNaN: true }),
    vwapAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    trades: fc.option(fc.nat(), { nil: undefined }),
  })
  .map(({ prices, openIsLower, vwapAt, ...rest }) => {
    const [low, a, b, high] = [...prices].sort((x, y) => x - y);
    return {
      ...rest,
      low,
      high,
      open: openIsLower ? a : b,
      close: openIsLower ? b : a,
      ...(vwapAt === undefined ? {} : { vwap: Math.max(low + vwapAt * (high - low), low) }),
    };
  });

describe('validateBar: properties', () => {
  it('accepts every generated valid bar', () => {
    fc.assert(fc.property(validBar, (b) => expect(validateBar(b)).toEqual([])));
  });

  it('always reports high when it is pushed below max(open, close)', () => {
    fc.assert(
      fc.property(validBar, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (b, f) => {
        const high = Math.max(b.open, b.close) * f;
        fc.pre(high < Math.max(b.open, b.close));
        expect(validateBar({ ...b, high }).map((p) => p.field)).toContain('high');
      }),
    );
  });

  it('always reports low when it is pushed above min(open, close)', () => {
    fc.assert(
      fc.property(validBar, fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true }), (b, f) => {
        const low = Math.min(b.open, b.close) + f * (b.high - Math.min(b.open, b.close));
        fc.pre(low > Math.min(b.open, b.close));
        expect(validateBar({ ...b, low }).map((p) => p.field)).toContain('low');
      }),
    );
  });

  it('pins a non-finite or non-numeric value on exactly the field that holds it', () => {
    const bad = fc.constantFrom<unknown>(Number.NaN, Infinity, -Infinity, 'abc', '42', null, true, {});
    const field = fc.constantFrom('open', 'high', 'low', 'close', 'volume', 'ts');
    fc.assert(
      fc.property(validBar, field, bad, (b, f, value) => {
        expect(validateBar({ ...b, [f]: value }).map((p) => p.field)).toEqual([f]);
      }),
    );
  });
});
