// What the platform CLI calls (`rrr backtest …`, `backtest walk-forward`, `backtest monte-carlo`): each validates
// the whole request before any work and reports progress through a callback.
export {
  resolveBacktestRequest,
  checkDataCoverage,
  type BacktestRequest,
  type BacktestDeps,
  type ResolvedBacktestRequest,
} from './api/backtest-request';
export type { BacktestProgress, BacktestProgressCallback } from './api/backtest-progress';
export { runBacktest, type BacktestResult } from './api/run-backtest';
export {
  runWalkForward,
  WALK_FORWARD_OBJECTIVES,
  type WalkForwardObjective,
  type WalkForwardRequest,
  type WalkForwardResult,
  type WalkForwardSplit,
} from './api/run-walk-forward';
export {
  runMonteCarlo,
  monteCarloOfResult,
  type MonteCarloRequest,
  type MonteCarloResult,
} from './api/run-monte-carlo';
export {
  simulateBacktest,
  loadBacktestBars,
  settingsOf,
  type BacktestBars,
  type BacktestSettings,
  type SimulateOptions,
  type SimulationOutcome,
} from './api/simulate-backtest';

// Reports and exports.
export {
  exportRun,
  backtestSummaryJson,
  backtestResultJson,
  tradesCsv,
  equityCsv,
  type ExportTargets,
} from './report/export-run';
export { renderHtmlReport } from './report/html-report';
export { monthlyReturns, yearlyReturns, type MonthlyReturn, type YearlyReturn } from './report/monthly-returns';

// Strategies by name (the trading engine's implementations) and their parameters.
export {
  BACKTEST_STRATEGIES,
  BACKTEST_STRATEGY_NAMES,
  resolveStrategy,
  parseParameterAssignments,
  type BacktestStrategyDefinition,
  type ParameterValue,
  type ResolvedStrategy,
  type StrategyBuildContext,
  type StrategyParameters,
  type StrategyParameterSpec,
} from './strategies/strategy-catalog';
export { gatedStrategy } from './strategies/gated-strategy';
export { predictorFromModel } from './strategies/model-predictor';

// Data.
export {
  bundledBarLoader,
  databaseBarLoader,
  defaultBarLoader,
  firstLoaderWithData,
  memoryBarLoader,
  type BarCoverage,
  type BarLoader,
} from './data/bar-loader';
export { mergeBarArrays, mergeBarStreams, type BarFeed } from './data/merge-bar-feeds';

// The event-driven engine over the trading engine.
export {
  runEventBacktest,
  type EquityCurve,
  type EventBacktestConfig,
  type EventBacktestResult,
  type OrderRefusal,
} from './engine/event-backtest';
export {
  FILL_TIMINGS,
  SLIPPAGE_MODELS,
  feeScheduleFor,
  slippageModelFor,
  type FillTiming,
  type SlippageSpec,
} from './engine/execution-models';
export { RoundTripLedger, type RoundTrip, type TradeDirection, type TradeExitReason } from './engine/round-trip-ledger';

// Metrics.
export {
  computePerformanceMetrics,
  type MetricsOptions,
  type PerformanceInput,
  type PerformanceMetrics,
} from './metrics/performance-metrics';
export {
  annualVolatility,
  calmarRatio,
  compoundAnnualGrowthRate,
  downsideDeviation,
  omegaRatio,
  perPeriodRate,
  periodReturns,
  returnTailRisk,
  sharpeRatio,
  sortinoRatio,
  tailRatio,
  totalReturn,
  type ReturnTailRisk,
} from './metrics/return-metrics';
export { drawdownMetrics, type DrawdownMetrics } from './metrics/drawdown-metrics';
export { tradeMetrics, type ClosedTradeResult, type TradeMetrics } from './metrics/trade-metrics';
export { activityMetrics, type ActivityInput, type ActivityMetrics } from './metrics/activity-metrics';
export { DEFAULT_PERIODS_PER_YEAR, YEAR_MS, periodsPerYearFor } from './metrics/periods-per-year';
export { quantileType7, percentiles } from './metrics/quantile';

// Walk-forward and Monte Carlo building blocks.
export { walkForwardWindows, type WalkForwardMode, type WalkForwardWindow } from './walk-forward/walk-forward-windows';
export {
  candidateParameterSets,
  parseParameterSpace,
  type CandidateSet,
  type ParameterRange,
  type ParameterSearch,
  type ParameterSpace,
} from './walk-forward/parameter-search';
export {
  monteCarlo,
  monteCarloOptionProblems,
  resamplePath,
  MONTE_CARLO_DEFAULTS,
  MONTE_CARLO_METHODS,
  type Distribution,
  type MonteCarloInput,
  type MonteCarloMethod,
  type MonteCarloOptions,
  type MonteCarloReport,
} from './monte-carlo/monte-carlo';

// Parameter sweeps on worker threads.
export { SweepPool, runSweep, workerCount, type SweepPoolOptions } from './sweep/sweep-pool';
export { evaluateParameterSet, type SweepJob, type SweepOutcome } from './sweep/sweep-job';
export { sweepWorkerScript } from './sweep/sweep-worker-script';

// Storage of runs (backtest_runs, backtest_trades).
export {
  insertBacktestRun,
  completeBacktestRun,
  failBacktestRun,
  loadBacktestRun,
  listBacktestRuns,
  type BacktestRunRecord,
  type BacktestRunStatus,
  type StoredRunMetrics,
  type StoredTrade,
} from './storage/backtest-run-store';

// The backtester as a platform service: a job runner over the platform database.
export {
  createBacktestingService,
  type BacktestingService,
  type BacktestingServiceConfig,
  type BacktestingServiceDeps,
  type BacktestJobProgress,
} from './service/create-backtesting-service';
export { BACKTEST_JOB_STATUSES, type BacktestJob, type BacktestJobStatus } from './service/backtest-job';
