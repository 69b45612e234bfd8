import { decodeParameter, distinctValues, gridCoordinates, validateSearchSpace } from './search-space';

describe('search space', () => {
  it('maps unit coordinates onto linear, log, integer and choice parameters', () => {
    expect(decodeParameter({ type: 'float', min: -1, max: 3 }, 0.25)).toBe(0);
    expect(decodeParameter({ type: 'float', min: 1e-4, max: 1e-1, scale: 'log' }, 1 / 3)).toBeCloseTo(1e-3, 15);
    expect(decodeParameter({ type: 'int', min: 16, max: 256, scale: 'log' }, 0.5)).toBe(64);
    expect(decodeParameter({ type: 'int', min: 1, max: 3 }, 1.7)).toBe(3);
    const choice = { type: 'choice' as const, values: ['relu', 'tanh', 'gelu'] };
    expect([0, 0.34, 0.99, 1].map((u) => decodeParameter(choice, u))).toEqual(['relu', 'tanh', 'gelu', 'gelu']);
  });

  it('spreads grid levels over the range and choices', () => {
    expect(gridCoordinates({ type: 'float', min: 0, max: 1 }, 3)).toEqual([0, 0.5, 1]);
    expect(gridCoordinates({ type: 'float', min: 0, max: 1 }, 1)).toEqual([0.5]);
    const choice = { type: 'choice' as const, values: ['a', 'b', 'c', 'd', 'e'] };
    expect(gridCoordinates(choice, 3).map((u) => decodeParameter(choice, u))).toEqual(['a', 'c', 'e']);
    expect(distinctValues({ type: 'int', min: 2, max: 5 })).toBe(4);
    expect(distinctValues({ type: 'float', min: 0, max: 1 })).toBe(Infinity);
  });

  it('names every invalid parameter', () => {
    expect(() =>
      validateSearchSpace({
        lr: { type: 'float', min: 0, max: 1, scale: 'log' },
        units: { type: 'int', min: 5, max: 2 },
        act: { type: 'choice', values: [] },
      }),
    ).toThrow(
      /space.lr: a log-scale range needs min > 0; space.units: needs finite min ≤ max; space.act: a choice needs at least one value/,
    );
    expect(() => validateSearchSpace({})).toThrow(/space: must define at least one parameter/);
  });
});
