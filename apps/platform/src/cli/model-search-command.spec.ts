import { join } from 'node:path';
import { FEATURE_NAMES } from '@rrr/neural-network';
import type { PredictorSearchReport, SearchRun } from './predictor-search';
import { HYPERPARAMETER_SPACES } from './predictor-search-spaces';
import { CliSandbox } from './testing/cli-sandbox';

/** The report without wall times, which are the only thing a seed does not fix. */
function withoutTimes(report: PredictorSearchReport) {
  const strip = ({ wallTimeMs: _ignored, ...run }: SearchRun) => run;
  return { ...report, runs: report.runs.map(strip), defaults: strip(report.defaults) };
}

describe('rrr model tune and rrr model select-features', () => {
  const sandbox = new CliSandbox('rrr-model-search-');
  const cli = (...argv: string[]) => sandbox.run(...argv);
  // Two folds and short training keep each walk-forward of the objective to a few milliseconds of CPU.
  const small = ['--symbol', 'AAPL', '--model', 'logistic', '--folds', '2', '--param', 'maxEpochs=15'];

  beforeAll(() => sandbox.setUp((dir) => ({ RRR_MODELS_DIR: join(dir, 'models') })));
  afterAll(() => sandbox.tearDown());

  it('compares annealing, random and grid search at an equal budget, deterministically for a seed', async () => {
    const first = await cli('model', 'tune', ...small, '--budget', '3', '--seed', '7', '--json');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.out) as PredictorSearchReport;
    expect(report).toMatchObject({ search: 'hyperparameters', kind: 'logistic', symbol: 'AAPL', budget: 3, seed: 7 });
    expect(report.runs.map((r) => [r.method, r.evaluations, r.bestSoFar.length])).toEqual([
      ['anneal', 3, 3],
      ['random', 3, 3],
      ['grid', 3, 3],
    ]);
    const space = HYPERPARAMETER_SPACES.logistic;
    for (const run of report.runs) {
      expect(run.bestSoFar[2]).toBe(run.cv.logLoss);
      expect(Math.min(...run.bestSoFar)).toBe(run.cv.logLoss);
      expect(run.features).toEqual([...FEATURE_NAMES]);
      for (const name of ['learningRate', 'l2'] as const) {
        const spec = space[name] as { min: number; max: number };
        expect(run.hyperparameters[name]).toBeGreaterThanOrEqual(spec.min);
        expect(run.hyperparameters[name]).toBeLessThanOrEqual(spec.max);
      }
      expect(run.holdout.model.samples).toBe(report.holdout.samples);
    }
    const best = [...report.runs].sort((a, b) => a.cv.logLoss - b.cv.logLoss)[0];
    expect(report.winner).toBe(best.method);
    // The search never sees the holdout: the objective's test period ends before it starts.
    expect(report.tuning.to < report.holdout.from).toBe(true);
    expect(report.tuning.samples).toBe(report.cvBaselines.majorityClass.samples);

    const again = await cli('model', 'tune', ...small, '--budget', '3', '--seed', '7', '--json');
    expect(withoutTimes(JSON.parse(again.out))).toEqual(withoutTimes(report));
    const otherSeed = await cli(
      'model',
      'tune',
      ...small,
      '--budget',
      '3',
      '--seed',
      '8',
      '--method',
      'anneal',
      '--json',
    );
    const anneal = JSON.parse(otherSeed.out) as PredictorSearchReport;
    expect(anneal.runs.map((r) => r.method)).toEqual(['anneal']);
    expect(anneal.runs[0].hyperparameters).not.toEqual(report.runs[0].hyperparameters);

    // The untuned reference on the holdout is what `rrr model train` reports for its 20 % holdout.
    const trained = await cli('model', 'train', '--symbol', 'AAPL', '--model', 'logistic', '--param', 'maxEpochs=15');
    expect(trained.code).toBe(0);
    const row = trained.out.split('\n').find((line) => line.startsWith('| aapl-logistic-1d@1 |')) as string;
    expect(row.split('|')[3].trim()).toBe(report.defaults.holdout.model.logLoss.toFixed(4));
  }, 60_000);

  it('prints the table and says which method won and whether it beats the naive baselines', async () => {
    // Population 4 at this budget: both methods share their first four subsets (same seed), then evolution takes over.
    const result = await cli('model', 'select-features', ...small, '--budget', '6');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      '### Feature selection: logistic on AAPL 1d, horizon 1d, budget 6 evaluations per method, seed 1',
    );
    expect(result.out).toMatch(/^\| genetic \| \d\.\d{4} \| [\d.]+ % \| \d\.\d{4} \| [\d.]+ % \| \d+ features: \w+/m);
    expect(result.out).toMatch(/^\| random \| \d\.\d{4} \| .* \| 6 \| (\d+ ms|\d+\.\d s) \|$/m);
    expect(result.out).toMatch(
      /^\| defaults \(no search\) \| .* \| the logistic defaults with maxEpochs=15, all 33 features \| 1 \|/m,
    );
    expect(result.out).toMatch(/^\| baseline: majority class \| \d\.\d{4} \|/m);
    expect(result.out).toMatch(
      /^((genetic|random) won: best walk-forward log loss \d\.\d{4}, against (genetic|random) |No winner: genetic and random tie)/m,
    );
    expect(result.out).toMatch(/: it (beats both naive baselines|does NOT beat (majority class|last direction))/);

    const json = JSON.parse((await cli('model', 'select-features', ...small, '--budget', '6', '--json')).out);
    for (const run of json.runs as SearchRun[]) {
      expect(run.evaluations).toBe(6);
      expect(run.features.length).toBeGreaterThan(0);
      expect(run.features.length).toBeLessThan(33);
      expect(run.features.every((f) => (FEATURE_NAMES as readonly string[]).includes(f))).toBe(true);
      expect(run.holdout.model.samples).toBe(json.holdout.samples);
    }
    const table = result.out.split('\n');
    const winner = (json as PredictorSearchReport).runs.find((r) => r.method === json.winner);
    if (winner !== undefined) {
      expect(table.find((line) => line.startsWith(`| ${winner.method} |`))).toContain(
        `| ${winner.cv.logLoss.toFixed(4)} |`,
      );
    }
  }, 60_000);

  it('names bad flags before any work', async () => {
    const kind = await cli('model', 'tune', '--symbol', 'AAPL', '--model', 'ensemble', '--method', 'anneal,genetic');
    expect(kind.code).toBe(1);
    expect(kind.err).toContain('--model: `rrr model tune` searches logistic, mlp, lstm');
    expect(kind.err).toContain('--method: must be among anneal, random, grid');
    const missing = await cli('model', 'select-features', '--budget', '0');
    expect(missing.err).toContain('--symbol: is required for `rrr model select-features`');
    expect(missing.err).toContain('--budget: must be a positive integer');
    const searched = await cli('model', 'tune', '--symbol', 'AAPL', '--param', 'l2=0.1');
    expect(searched.err).toContain('--param: l2 is searched by model tune');
    const misplaced = await cli('model', 'train', '--symbol', 'AAPL', '--budget', '3', '--json');
    expect(misplaced.code).toBe(1);
    expect(misplaced.err).toContain('--budget: only applies to `rrr model tune|select-features`');
    expect(misplaced.err).toContain('--json: only applies to');
  }, 30_000);
});
