import { simulateBacktest, type BacktestBars, type BacktestSettings } from '../api/simulate-backtest';
import type { PerformanceMetrics } from '../metrics/performance-metrics';
import type { StrategyParameters } from '../strategies/strategy-catalog';

/** What every parameter set of a sweep shares: the run's settings (parameters aside) and its bars. Plain data. */
export interface SweepJob {
  settings: BacktestSettings;
  bars: BacktestBars;
  /** Trade from here (earlier bars warm up); default: the first bar of the range. */
  tradeFrom?: number;
}

/** One parameter set's result; `index` is its position in the list the sweep was given. */
export interface SweepOutcome {
  index: number;
  parameters: StrategyParameters;
  metrics: PerformanceMetrics;
}

/** Runs one parameter set of a job through the event-driven engine (in this thread). */
export async function evaluateParameterSet(job: SweepJob, parameters: StrategyParameters): Promise<PerformanceMetrics> {
  const settings = { ...job.settings, parameters: { ...job.settings.parameters, ...parameters } };
  const outcome = await simulateBacktest(
    settings,
    job.bars,
    job.tradeFrom === undefined ? {} : { tradeFrom: job.tradeFrom },
  );
  return outcome.metrics;
}

/** Messages from the pool to a worker. */
export type SweepWorkerRequest =
  | { type: 'job'; jobId: number; job: SweepJob }
  | { type: 'task'; jobId: number; index: number; parameters: StrategyParameters }
  | { type: 'forget'; jobId: number };

/** Messages from a worker to the pool. */
export type SweepWorkerReply =
  | { type: 'result'; jobId: number; index: number; metrics: PerformanceMetrics }
  | { type: 'error'; jobId: number; index: number; message: string };
