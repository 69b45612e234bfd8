import { approximationRatio } from './approximation-ratio';

describe('approximationRatio', () => {
  it('is 1 at the optimum, 0 at the worst, linear between, for negative energies too', () => {
    expect(approximationRatio(-10, -10, 2)).toBe(1);
    expect(approximationRatio(2, -10, 2)).toBe(0);
    expect(approximationRatio(-7, -10, 2)).toBeCloseTo(0.75, 12);
  });

  it('does not change when energies are shifted or positively scaled', () => {
    const base = approximationRatio(-3, -5, 5);
    expect(approximationRatio(-3 + 100, -5 + 100, 5 + 100)).toBeCloseTo(base, 12);
    expect(approximationRatio(-3 * 7, -5 * 7, 5 * 7)).toBeCloseTo(base, 12);
  });

  it('treats a flat landscape as solved and clamps rounding noise', () => {
    expect(approximationRatio(1, 1, 1)).toBe(1);
    expect(approximationRatio(-10 - 1e-13, -10, 2)).toBe(1);
  });
});
