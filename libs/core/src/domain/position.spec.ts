import { ValidationError } from '../errors';
import { assertValidPosition, positionSide, validatePosition, type Position } from './position';

const long: Position = {
  symbol: 'ETH-USD',
  quantity: 3,
  averagePrice: 2_000,
  realizedPnl: -12.5,
  openedAt: 1_700_000_000_000,
  updatedAt: 1_700_000_060_000,
};
const messages = (input: unknown) => validatePosition(input).map((p) => `${p.field}: ${p.message}`);

describe('positionSide', () => {
  it('reads the side from the sign of the quantity', () => {
    expect(positionSide({ quantity: 3 })).toBe('long');
    expect(positionSide({ quantity: -0.1 })).toBe('short');
    expect(positionSide({ quantity: 0 })).toBe('flat');
    expect(positionSide({ quantity: -0 })).toBe('flat');
  });
});

describe('validatePosition', () => {
  it('accepts long, short and flat positions', () => {
    expect(validatePosition(long)).toEqual([]);
    expect(validatePosition({ ...long, quantity: -3 })).toEqual([]);
    expect(validatePosition({ ...long, quantity: 0, averagePrice: 0, realizedPnl: 40 })).toEqual([]);
  });

  it('needs a valid average price while open and 0 while flat', () => {
    expect(messages({ ...long, averagePrice: 0 })).toEqual(['averagePrice: must be > 0 and < 10000000 (got 0)']);
    expect(messages({ ...long, quantity: 0 })).toEqual([
      'averagePrice: must be 0 while the position is flat (got 2000)',
    ]);
  });

  it('reports all problems at once', () => {
    expect(
      validatePosition({ symbol: 'eth', quantity: 'x', realizedPnl: Infinity, openedAt: 5, updatedAt: 4 }).map(
        (p) => p.field,
      ),
    ).toEqual(['symbol', 'quantity', 'averagePrice', 'realizedPnl', 'updatedAt']);
  });

  it('assertValidPosition throws VALIDATION_FAILED', () => {
    expect(assertValidPosition(long)).toBe(long);
    expect(() => assertValidPosition({ ...long, updatedAt: 1 })).toThrow(ValidationError);
    expect(() => assertValidPosition({ ...long, updatedAt: 1 })).toThrow(/^position: updatedAt: must be >= openedAt/);
  });
});
