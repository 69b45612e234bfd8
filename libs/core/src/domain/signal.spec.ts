import fc from 'fast-check';
import { ValidationError } from '../errors';
import { assertValidSignal, validateSignal, type Signal } from './signal';

const signal: Signal = {
  symbol: 'SPX',
  ts: 1_700_000_000_000,
  direction: 'long',
  strength: 0.7,
  source: 'sma-cross(20,50)',
};
const messages = (input: unknown) => validateSignal(input).map((p) => `${p.field}: ${p.message}`);

describe('validateSignal', () => {
  it('accepts a signal with and without reason and price', () => {
    expect(validateSignal(signal)).toEqual([]);
    expect(
      validateSignal({ ...signal, direction: 'flat', strength: 0, reason: 'SMA20 crossed below SMA50', price: 4_500 }),
    ).toEqual([]);
  });

  it('keeps strength within [0, 1]', () => {
    expect(validateSignal({ ...signal, strength: 1 })).toEqual([]);
    expect(messages({ ...signal, strength: 1.2 })).toEqual(['strength: must be >= 0 and <= 1 (got 1.2)']);
    expect(messages({ ...signal, strength: '0.5' })).toEqual(['strength: must be a finite number (got "0.5")']);
  });

  it('checks direction, source and price', () => {
    expect(messages({ ...signal, direction: 'buy', source: ' ', price: 0 })).toEqual([
      'direction: must be one of "long", "short", "flat" (got "buy")',
      'source: must be a non-empty string of at most 128 characters (got " ")',
      'price: must be > 0 and < 10000000 (got 0)',
    ]);
  });

  it('reports every missing field', () => {
    expect(validateSignal({}).map((p) => p.field)).toEqual(['symbol', 'ts', 'direction', 'strength', 'source']);
  });

  it('assertValidSignal throws VALIDATION_FAILED', () => {
    expect(assertValidSignal(signal)).toBe(signal);
    expect(() => assertValidSignal({ ...signal, strength: -0.1 })).toThrow(ValidationError);
    expect(() => assertValidSignal({ ...signal, strength: -0.1 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', httpStatus: 400 }),
    );
  });

  it('flags strength exactly when it leaves [0, 1] (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 3, noNaN: true }), (strength) => {
        const flagged = validateSignal({ ...signal, strength }).some((p) => p.field === 'strength');
        expect(flagged).toBe(strength < 0 || strength > 1);
      }),
    );
  });
});
