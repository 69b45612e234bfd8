import { Qubo } from './qubo';
import { defaultTemperatureRange, resolveTemperatureRange } from './temperature-range';

describe('defaultTemperatureRange', () => {
  it('accepts the largest flip increase with probability ½ when hot and the smallest coefficient with 1/100 when cold', () => {
    const qubo = Qubo.fromMatrix([
      [1, -2, 0],
      [0, 0.5, 4],
      [0, 0, -3],
    ]);
    // Bounds per variable: |1|+2 = 3, 0.5+2+4 = 6.5, 3+4 = 7; smallest non-zero coefficient 0.5.
    const range = defaultTemperatureRange(qubo);
    expect(Math.exp(-7 / range.hot)).toBeCloseTo(0.5, 12);
    expect(Math.exp(-0.5 / range.cold)).toBeCloseTo(0.01, 12);
  });

  it('falls back to a unit range for an all-zero QUBO and checks overrides', () => {
    expect(defaultTemperatureRange(Qubo.fromMatrix([[0]]))).toEqual({ hot: 1, cold: 0.01 });
    expect(() => resolveTemperatureRange(Qubo.fromMatrix([[1]]), -1)).toThrow(/hotTemperature/);
  });
});
