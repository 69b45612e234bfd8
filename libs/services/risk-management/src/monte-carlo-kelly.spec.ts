import { monteCarloKellyFraction, monteCarloKellySize } from './monte-carlo-kelly';

// W = 0.6, R = 1.5 (in percent returns): the closed-form Kelly fraction is 1/3.
const trades = [...Array<number>(18).fill(1.5), ...Array<number>(12).fill(-1)];

describe('monteCarloKellyFraction', () => {
  it('finds the closed-form Kelly fraction when no drawdown constraint binds', () => {
    const choice = monteCarloKellyFraction(trades, {
      seed: 7,
      paths: 1000,
      horizon: 200,
      maxFraction: 1,
      step: 0.02,
      maxDrawdown: 1,
    });
    expect(Math.abs(choice.fraction - 1 / 3)).toBeLessThanOrEqual(0.05);
    expect(choice.medianLogGrowth).toBeGreaterThan(0);
    expect(choice.reasons).toEqual([]);
  });

  it('picks the best median growth among the fractions whose 95 % drawdown stays within 15 %', () => {
    const choice = monteCarloKellyFraction(trades, { seed: 7, paths: 1000, horizon: 100 });
    expect(choice.fraction).toBeGreaterThan(0);
    expect(choice.fraction).toBeLessThan(1 / 3);
    expect(choice.drawdownQuantile).toBeLessThanOrEqual(0.15);
    for (const c of choice.candidates) {
      if (c.feasible) expect(c.medianLogGrowth).toBeLessThanOrEqual(choice.medianLogGrowth);
    }
    expect(choice.candidates.some((c) => !c.feasible && c.medianLogGrowth > choice.medianLogGrowth)).toBe(true);
    expect(choice.reasons.map((r) => r.code)).toEqual(['drawdown-constraint']);
  });

  it('is reproducible for a seed', () => {
    const options = { seed: 3, paths: 300, horizon: 50 };
    expect(monteCarloKellyFraction(trades, options)).toEqual(monteCarloKellyFraction(trades, options));
  });

  it('chooses nothing for a losing strategy or a short history', () => {
    const losing = [...Array<number>(8).fill(1), ...Array<number>(12).fill(-1)];
    expect(monteCarloKellyFraction(losing, { seed: 1, paths: 200, horizon: 50 }).fraction).toBe(0);
    expect(monteCarloKellyFraction([1, -1], { seed: 1 }).reasons.map((r) => r.code)).toEqual(['insufficient-history']);
  });
});

describe('monteCarloKellySize', () => {
  it('clamps the chosen fraction to the 1–20 % position bounds and sizes the order', () => {
    const r = monteCarloKellySize({
      equity: 100_000,
      price: 50,
      trades,
      seed: 7,
      paths: 1000,
      horizon: 200,
      maxFraction: 1,
      step: 0.02,
      maxDrawdown: 1,
    });
    expect(r.method).toBe('monte-carlo-kelly');
    expect(r.rawFraction).toBe(r.monteCarlo.fraction);
    expect(r.fraction).toBe(0.2);
    expect(r.quantity).toBeCloseTo(400, 9);
    expect(r.reasons.map((x) => x.code)).toEqual(['clamp-max']);
  });
});
