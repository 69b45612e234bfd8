import { volatilityTargetSize } from './volatility-target-sizing';

describe('volatilityTargetSize', () => {
  // Mean 0, sample variance 4 × 0.0001 / 3: sd 0.0115470, annualised × √252 = 0.1833030.
  const returns = [0.01, -0.01, 0.01, -0.01];
  const assetVol = Math.sqrt(0.0004 / 3) * Math.sqrt(252);

  it('sizes target volatility / asset volatility', () => {
    const r = volatilityTargetSize({ equity: 100_000, price: 100, returns, targetVolatility: 0.1, maxFraction: 1 });
    expect(r.assetVolatility).toBeCloseTo(0.183303, 6);
    expect(r.fraction).toBeCloseTo(0.1 / assetVol, 12);
    expect(r.fraction).toBeCloseTo(0.545545, 6);
    expect(r.quantity).toBeCloseTo(545.545, 3);
    expect(r.reasons).toEqual([]);
  });

  it('clamps to the maximum position (20 % by default)', () => {
    const r = volatilityTargetSize({ equity: 100_000, price: 100, returns, targetVolatility: 0.1 });
    expect(r.rawFraction).toBeCloseTo(0.545545, 6);
    expect(r.fraction).toBe(0.2);
    expect(r.quantity).toBeCloseTo(200, 9);
    expect(r.reasons.map((x) => x.code)).toEqual(['clamp-max']);
  });

  it('caps a constant price series at the maximum rather than dividing by zero', () => {
    const r = volatilityTargetSize({ equity: 100_000, price: 100, returns: [0, 0, 0], targetVolatility: 0.1 });
    expect(r.fraction).toBe(0.2);
    expect(r.reasons.map((x) => x.code)).toEqual(['zero-volatility', 'clamp-max']);
  });

  it('needs at least two returns', () => {
    expect(() => volatilityTargetSize({ equity: 1, price: 1, returns: [0.01], targetVolatility: 0.1 })).toThrow(
      /returns/,
    );
  });
});
