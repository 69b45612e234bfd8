import { existsSync } from 'node:fs';
import { settingsOf } from '../api/simulate-backtest';
import { resolveBacktestRequest } from '../api/backtest-request';
import { randomWalkBars } from '../testing/scripted-strategy';
import { candidateParameterSets } from '../walk-forward/parameter-search';
import { SweepPool, runSweep, workerCount } from './sweep-pool';
import { sweepWorkerScript } from './sweep-worker-script';

const bars = randomWalkBars('AAA', 250, 21);
const settings = settingsOf(
  resolveBacktestRequest({ strategy: 'sma-cross', symbols: 'AAA', risk: false, positionFraction: 0.5 }),
);
const job = {
  settings: { ...settings, from: bars[0].ts, to: bars[bars.length - 1].ts + 1 },
  bars: { range: { AAA: bars }, warmup: { AAA: [] } },
};
const { candidates } = candidateParameterSets(
  'sma-cross',
  {},
  {
    method: 'grid',
    space: { fast: { min: 3, max: 9, step: 2 }, slow: [10, 20] },
  },
);

describe('parameter sweeps on worker threads', () => {
  // Started once: a worker takes most of a second to load the engine's modules.
  const one = new SweepPool({ workers: 1 });
  const two = new SweepPool({ workers: 2 });
  afterAll(async () => Promise.all([one.close(), two.close()]));

  it('bundles the TypeScript worker entry once, under the workspace cache', async () => {
    const script = await sweepWorkerScript();
    expect(script).toMatch(/node_modules\/\.cache\/rrr-backtesting\/sweep-worker-[0-9a-f]{16}\.js$/);
    expect(existsSync(script)).toBe(true);
    expect(await sweepWorkerScript()).toBe(script);
  });

  it('gives identical results with 0, 1 and 2 workers, in the order of the sets', async () => {
    expect(candidates).toHaveLength(8);
    const progress: number[] = [];
    const [inThread, single, double] = await Promise.all([
      runSweep(job, candidates, { workers: 0 }),
      one.run(job, candidates),
      two.run(job, candidates, (done) => progress.push(done)),
    ]);
    expect(single).toEqual(inThread);
    expect(double).toEqual(inThread);
    expect(double.map((r) => r.index)).toEqual([...candidates.keys()]);
    expect(double.map((r) => r.parameters)).toEqual(candidates);
    expect(progress).toEqual([...candidates.keys()].map((i) => i + 1));
    // The sets really differ: not every run has the same result.
    expect(new Set(double.map((r) => r.metrics.finalEquity)).size).toBeGreaterThan(4);
  });

  it('runs several sweeps on one pool and reports a failing set with its parameters', async () => {
    const first = await two.run(job, candidates.slice(0, 3));
    const second = await two.run(job, candidates.slice(3, 6));
    expect([...first, ...second].map((r) => r.parameters)).toEqual(candidates.slice(0, 6));
    await expect(two.run(job, [{ fast: 30, slow: 10 }])).rejects.toThrow(
      'parameter set {"fast":30,"slow":10}: backtest settings: params.fast: must be < slow',
    );
    expect((await two.run(job, candidates.slice(0, 1)))[0].metrics).toEqual(first[0].metrics);
  });

  it('checks the worker count', () => {
    expect(workerCount(0)).toBe(0);
    expect(workerCount('auto')).toBeGreaterThanOrEqual(1);
    expect(() => workerCount(-1)).toThrow('workers: must be an integer in [0, 256] or auto');
  });
});
