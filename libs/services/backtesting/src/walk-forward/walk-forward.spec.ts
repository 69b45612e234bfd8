import { ValidationError } from '@rrr/core';
import { runWalkForward } from '../api/run-walk-forward';
import { simulateBacktest } from '../api/simulate-backtest';
import { memoryBarLoader } from '../data/bar-loader';
import { randomWalkBars } from '../testing/scripted-strategy';
import { candidateParameterSets, parseParameterSpace } from './parameter-search';
import { walkForwardWindows } from './walk-forward-windows';

describe('walkForwardWindows', () => {
  it('70/30 over 5 rolling splits of 1,000 bars: oos = ⌊300 / 2.2⌋ = 136, is = ⌊136 × 7/3⌋ = 317, 3 bars left over', () => {
    const windows = walkForwardWindows(1_000);
    expect(windows.map((w) => [w.inSample.start, w.inSample.end, w.outOfSample.end])).toEqual([
      [3, 320, 456],
      [139, 456, 592],
      [275, 592, 728],
      [411, 728, 864],
      [547, 864, 1_000],
    ]);
  });

  it('expanding windows start at the first bar and share the out-of-sample windows', () => {
    const rolling = walkForwardWindows(1_000, { mode: 'rolling', splits: 3, inSampleFraction: 0.5 });
    const expanding = walkForwardWindows(1_000, { mode: 'expanding', splits: 3, inSampleFraction: 0.5 });
    expect(expanding.map((w) => w.inSample.start)).toEqual([0, 0, 0]);
    expect(expanding.map((w) => w.outOfSample)).toEqual(rolling.map((w) => w.outOfSample));
    expect(rolling.map((w) => w.outOfSample.end - w.outOfSample.start)).toEqual([250, 250, 250]);
  });

  it('refuses splits that leave too few bars, naming the field', () => {
    expect(() => walkForwardWindows(20, { splits: 10 })).toThrow(
      'splits: 10 splits of 20 bars leave 2 in-sample and 1',
    );
    expect(() => walkForwardWindows(100, { inSampleFraction: 1 })).toThrow(
      'inSampleFraction: must be a fraction in (0, 1)',
    );
  });
});

describe('candidateParameterSets', () => {
  it('grid: the cartesian product in parameter order, dropping fast ≥ slow', () => {
    const { candidates, skipped } = candidateParameterSets(
      'sma-cross',
      {},
      {
        method: 'grid',
        space: { slow: [10, 20], fast: { min: 5, max: 15, step: 5 } },
      },
    );
    expect(candidates).toEqual([
      { fast: 5, slow: 10 },
      { fast: 5, slow: 20 },
      { fast: 10, slow: 20 },
      { fast: 15, slow: 20 },
    ]);
    expect(skipped).toBe(2);
  });

  it('random: distinct seeded draws, the same for the same seed', () => {
    const search = {
      method: 'random',
      samples: 10,
      seed: 9,
      space: { fast: { min: 2, max: 30 }, slow: { min: 40, max: 120, step: 10 } },
    } as const;
    const a = candidateParameterSets('sma-cross', {}, search).candidates;
    expect(a).toHaveLength(10);
    expect(new Set(a.map((c) => JSON.stringify(c))).size).toBe(10);
    expect(a.every((c) => Number.isInteger(c.fast) && (c.slow as number) % 10 === 0)).toBe(true);
    expect(candidateParameterSets('sma-cross', {}, search).candidates).toEqual(a);
    const real = candidateParameterSets(
      'bollinger',
      {},
      { method: 'random', samples: 3, space: { deviations: { min: 1, max: 3 } } },
    );
    expect(
      real.candidates.every((c) => (c.deviations as number) >= 1 && (c.deviations as number) <= 3 && c.period === 20),
    ).toBe(true);
  });

  it('parses CLI ranges and names what is wrong', () => {
    expect(parseParameterSpace(['fast=5,10', 'slow=40:100:20'])).toEqual({
      fast: [5, 10],
      slow: { min: 40, max: 100, step: 20 },
    });
    expect(() => parseParameterSpace(['fast=a,b'])).toThrow(
      'search.space.fast: must be a comma-separated list of numbers',
    );
    expect(() => candidateParameterSets('sma-cross', {}, { method: 'grid', space: { fats: [1] } })).toThrow(
      'search.space.fats: is not a parameter of sma-cross',
    );
    expect(() =>
      candidateParameterSets('sma-cross', {}, { method: 'grid', space: { fast: [50], slow: [20] } }),
    ).toThrow('search.space: none of its 1 combinations is valid for sma-cross');
  });
});

describe('runWalkForward', () => {
  const bars = randomWalkBars('AAA', 700, 5);
  const loader = memoryBarLoader(bars);
  const request = {
    strategy: 'sma-cross',
    symbols: 'AAA',
    risk: false,
    positionFraction: 0.5,
    splits: 3,
    workers: 0,
    search: { method: 'grid', space: { fast: [3, 5, 8], slow: [15, 30] } },
  } as const;

  it('optimises in sample, runs the winner out of sample, and sums the splits up', async () => {
    const phases: string[] = [];
    const report = await runWalkForward(request, { loader }, (p) => phases.push(p.phase));
    expect(report.windows).toHaveLength(3);
    expect(report.search).toEqual({ method: 'grid', candidates: 6, skipped: 0 });
    for (const split of report.windows) {
      // The winner is the top of the in-sample ranking, which is sorted by the objective (Sharpe).
      expect(split.best).toEqual(split.ranking[0].parameters);
      const objectives = split.ranking.map((r) => r.objective ?? -Infinity);
      expect([...objectives].sort((a, b) => b - a)).toEqual(objectives);
      expect(split.inSampleObjective).toBe(split.inSampleMetrics.sharpe);
      expect(split.outOfSample.from).toBe(split.inSample.to);
      // The out-of-sample run is an ordinary backtest of the winner on bars it was not fitted on, warmed up before.
      const slow = split.best.slow as number;
      const start = bars.findIndex((b) => b.ts === split.outOfSample.from);
      const direct = await simulateBacktest(
        { ...report.settings, parameters: split.best },
        {
          range: { AAA: bars.slice(start, start + split.outOfSample.bars) },
          warmup: { AAA: bars.slice(start - slow, start) },
        },
        { tradeFrom: split.outOfSample.from },
      );
      expect(split.outOfSampleMetrics).toEqual(direct.metrics);
    }
    const profitable = report.windows.filter((w) => (w.outOfSampleMetrics.totalReturn as number) > 0).length;
    expect(report.consistency).toBe(profitable / 3);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const is = mean(report.windows.map((w) => w.inSampleObjective as number));
    const oos = mean(report.windows.map((w) => w.outOfSampleObjective as number));
    expect(report.robustness).toBe(is > 0 ? oos / is : null);
    // The chained out-of-sample equity compounds the windows' returns.
    const growth = report.windows.reduce((g, w) => g * (1 + (w.outOfSampleMetrics.totalReturn as number)), 1);
    expect(report.outOfSample.metrics.totalReturn).toBeCloseTo(growth - 1, 9);
    expect(report.parameterStability.reduce((n, p) => n + p.splits, 0)).toBe(3);
    expect(phases).toContain('search');
    expect(phases[phases.length - 1]).toBe('done');
  });

  it('checks request, search and split options together before any work', async () => {
    const touched: string[] = [];
    const spy = {
      ...loader,
      coverage: async (...args: Parameters<typeof loader.coverage>) => (
        touched.push('coverage'),
        loader.coverage(...args)
      ),
    };
    const error = await runWalkForward(
      {
        ...request,
        params: { bogus: 1 },
        splits: 0,
        objective: 'luck' as 'sharpe',
        search: { method: 'grid', space: { slow: [] } },
      },
      { loader: spy },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toEqual(['params.bogus', 'objective', 'splits']);
    expect(touched).toEqual([]);
  });
});
