import { ValidationError } from '@rrr/core';
import fc from 'fast-check';
import { normalQuantile } from './normal-distribution';
import { portfolioReturns } from './return-series';
import { createSeededRng } from './seeded-rng';
import { empiricalTail, historicalVar, monteCarloVar, parametricVar, portfolioVar } from './value-at-risk';

describe('historicalVar', () => {
  it('takes the k-th worst of n returns, k = ⌈n (1 − c)⌉, and CVaR as the mean of the k worst', () => {
    // 40 returns: the two worst are −6 % and −4 %, the rest small gains and losses.
    const returns = [
      -0.06,
      -0.04,
      ...Array.from({ length: 38 }, (_, i) => (i % 2 === 0 ? 0.01 : -0.01) * ((i % 5) + 1) * 0.5),
    ];
    const [v95, v99] = historicalVar(returns);
    // 95 %: k = 2 → VaR 4 %, CVaR (6 + 4) / 2 = 5 %.
    expect(v95).toEqual({ confidence: 0.95, var: 0.04, cvar: 0.05 });
    // 99 %: k = ⌈0.4⌉ = 1 → the worst return.
    expect(v99).toEqual({ confidence: 0.99, var: 0.06, cvar: 0.06 });
  });

  it('counts exactly 5 tail observations out of 100 at 95 % despite 100 × 0.05 = 5.000000000000004', () => {
    const returns = Array.from({ length: 100 }, (_, i) => (i + 1) / 1000 - 0.05); // −0.049 … +0.05
    const [v95] = historicalVar(returns, [0.95]);
    expect(v95.var).toBeCloseTo(0.045, 12);
    expect(v95.cvar).toBeCloseTo(0.047, 12); // mean of 4.9, 4.8, 4.7, 4.6, 4.5 %
  });

  it('reports a tail of gains as a negative loss', () => {
    expect(historicalVar([0.01, 0.02, 0.03], [0.5])[0].var).toBe(-0.02);
  });

  it('rejects non-finite returns and impossible confidence levels, naming the field', () => {
    expect(() => historicalVar([0.01, Number.NaN])).toThrow(/returns\[1\]/);
    expect(() => historicalVar([0.01, 0.02], [1])).toThrow(ValidationError);
  });
});

describe('parametricVar', () => {
  it('is z σ − μ and σ φ(z) / (1 − c) − μ with the sample mean and standard deviation', () => {
    // μ = 0.005; squared deviations sum to 0.00175 → σ = √(0.00175 / 5) = 0.0187083.
    const returns = [0.01, -0.02, 0.03, -0.01, 0.0, 0.02];
    const sigma = Math.sqrt(0.00175 / 5);
    const [v95, v99] = parametricVar(returns);
    expect(v95.var).toBeCloseTo(1.6448536269514722 * sigma - 0.005, 9);
    expect(v95.cvar).toBeCloseTo((sigma * 0.10313564037537139) / 0.05 - 0.005, 9);
    expect(v99.var).toBeCloseTo(2.3263478740408408 * sigma - 0.005, 9);
    expect(v99.cvar).toBeCloseTo((sigma * 0.02665214220345808) / 0.01 - 0.005, 9);
    expect(v95.var).toBeCloseTo(0.0257727, 6);
  });

  it('uses an accurate inverse normal', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 7);
  });
});

/** Correlated normal daily returns for three assets, from a fixed seed. */
function normalReturns(periods: number, seed: number): number[][] {
  const rng = createSeededRng(seed);
  const out: number[][] = [[], [], []];
  for (let t = 0; t < periods; t += 1) {
    const market = rng.normal();
    out[0].push(0.0005 + 0.01 * market + 0.005 * rng.normal());
    out[1].push(0.0003 + 0.015 * market + 0.01 * rng.normal());
    out[2].push(0.0001 - 0.005 * market + 0.008 * rng.normal());
  }
  return out;
}

describe('monteCarloVar', () => {
  const returns = normalReturns(2_000, 21);
  const weights = [0.5, 0.3, 0.2];

  it('converges to the parametric figures for normal data (20 000 scenarios, fixed seed)', () => {
    const mc = monteCarloVar(returns, weights, { seed: 99, scenarios: 20_000 });
    const parametric = parametricVar(portfolioReturns(returns, weights));
    expect(mc.jitter).toBe(0);
    expect(mc.sampleSize).toBe(20_000);
    for (let i = 0; i < 2; i += 1) {
      expect(Math.abs(mc.estimates[i].var / parametric[i].var - 1)).toBeLessThan(0.04);
      expect(Math.abs(mc.estimates[i].cvar / parametric[i].cvar - 1)).toBeLessThan(0.05);
    }
  });

  it('is reproducible for a seed and differs for another', () => {
    const a = monteCarloVar(returns, weights, { seed: 1, scenarios: 2_000 });
    expect(monteCarloVar(returns, weights, { seed: 1, scenarios: 2_000 })).toEqual(a);
    expect(monteCarloVar(returns, weights, { seed: 2, scenarios: 2_000 }).estimates[0].var).not.toBe(
      a.estimates[0].var,
    );
  });

  it('factorises a singular covariance (a duplicated asset) with a small jitter', () => {
    const duplicated = [returns[0], returns[0].map((r) => 2 * r)];
    const mc = monteCarloVar(duplicated, [0.5, 0.25], { seed: 3, scenarios: 5_000 });
    expect(mc.jitter).toBeGreaterThan(0);
    const parametric = parametricVar(portfolioReturns(duplicated, [0.5, 0.25]));
    expect(Math.abs(mc.estimates[0].var / parametric[0].var - 1)).toBeLessThan(0.06);
  });

  it('checks that there is one weight per asset', () => {
    expect(() => monteCarloVar(returns, [1, 0], { seed: 1 })).toThrow(/weights: must have one weight per asset/);
  });
});

describe('portfolioVar', () => {
  it('reports all three methods at 95 % and 99 %', () => {
    const report = portfolioVar(
      { returns: normalReturns(500, 5), weights: [0.4, 0.4, 0.2] },
      { seed: 8, scenarios: 5_000 },
    );
    expect(Object.keys(report)).toEqual(['historical', 'parametric', 'monte-carlo']);
    for (const r of Object.values(report)) {
      expect(r.estimates.map((e) => e.confidence)).toEqual([0.95, 0.99]);
      expect(r.estimates[1].var).toBeGreaterThan(r.estimates[0].var);
    }
    expect(report.historical.sampleSize).toBe(500);
  });
});

describe('CVaR >= VaR', () => {
  const series = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 300 });
  const confidence = fc.double({ min: 0.5, max: 0.999, noNaN: true });

  it('holds for the historical and parametric estimators on any return series', () => {
    fc.assert(
      fc.property(series, confidence, (returns, c) => {
        const [h] = historicalVar(returns, [c]);
        expect(h.cvar).toBeGreaterThanOrEqual(h.var);
        const [p] = parametricVar(returns, [c]);
        expect(p.cvar).toBeGreaterThanOrEqual(p.var - 1e-12);
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('holds for the empirical tail of Monte Carlo scenarios', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), confidence, (seed, c) => {
        const mc = monteCarloVar(normalReturns(60, seed), [0.3, 0.3, 0.4], { seed, scenarios: 500, confidences: [c] });
        expect(mc.estimates[0].cvar).toBeGreaterThanOrEqual(mc.estimates[0].var);
      }),
      { numRuns: 40, seed: 23 },
    );
  });

  it('holds for empiricalTail on sorted data of any size', () => {
    fc.assert(
      fc.property(series, confidence, (returns, c) => {
        const t = empiricalTail(Float64Array.from(returns).sort(), c);
        expect(t.cvar).toBeGreaterThanOrEqual(t.var);
      }),
      { numRuns: 200, seed: 29 },
    );
  });
});
