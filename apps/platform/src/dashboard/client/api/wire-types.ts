// The JSON the dashboard reads: the REST contract's answers and the WebSocket gateway's event payloads. Domain payloads
// are the platform's own types (type-only imports: nothing of the libraries reaches the browser bundle).
import type {
  Bar,
  Fill,
  Interval,
  Order,
  OrderStatus,
  Position,
  Prediction,
  PredictionClass,
  PredictionProbabilities,
  RegistryHealth,
  RiskAlert,
  ServiceStatusEvent,
  Signal,
  SignalDirection,
  Trade,
} from '@rrr/core';
import type { BacktestJobProgress, BacktestJobStatus, StrategyParameterSpec } from '@rrr/backtesting';
import type {
  OptimizationJob,
  OptimizationJobStatus,
  OptimizationMethodSpec,
  OptimizationRequestFieldSpec,
  PortfolioHolding,
  PortfolioMethod,
  PortfolioOptimization,
  PortfolioRun,
} from '@rrr/quantum-optimization';
import type { CircuitBreakerView, KillSwitchOutcome, KillSwitchStatus } from '@rrr/risk-management';
import type { ApiKeyScope } from '../../../security/api-key-scope';

export type { Bar, Fill, Interval, Order, OrderStatus, Position, RegistryHealth, RiskAlert, ServiceStatusEvent, Trade };
// The `signals` and `predictions` channels carry the bus's Signal and Prediction.
export type { Prediction, PredictionClass, PredictionProbabilities, Signal, SignalDirection };
// `GET /api/v1/risk/circuit-breaker` and resume answer a CircuitBreakerView (the kill switch's state included);
// `POST /api/v1/risk/kill-switch` a KillSwitchOutcome, its release a KillSwitchStatus.
export type { CircuitBreakerView, KillSwitchOutcome, KillSwitchStatus };

export type { ApiKeyScope };
// What `POST /api/v1/backtests` accepts as a strategy's `params`, and what its progress route reports.
export type { BacktestJobStatus, StrategyParameterSpec };
// `/api/v1/optimizations` answers OptimizationJobs: the checked request, the estimated inputs and (once completed) a
// PortfolioOptimization with one PortfolioRun per method.
export type {
  OptimizationJob,
  OptimizationJobStatus,
  PortfolioHolding,
  PortfolioMethod,
  PortfolioOptimization,
  PortfolioRun,
};

/** `GET /api/v1/auth/key`: the key a request presented. */
export interface ApiKeyIdentity {
  id: string;
  name: string;
  scope: ApiKeyScope;
  createdAt: number;
  lastUsedAt?: number;
}

/** A strategy of `GET /api/v1/backtests/strategies`: its name (as `POST /api/v1/backtests` takes it) and parameters. */
export interface BacktestStrategyChoice {
  name: string;
  description: string;
  parameters: StrategyParameterSpec[];
}

export interface ItemList<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface SymbolListing {
  symbol: string;
  intervals: { interval: string; bars: number; firstTs: number | null; lastTs: number | null }[];
}

/** A row of `GET /api/v1/signals` (a live `signals` event has no id, and leaves out a missing price or reason). */
export interface SignalRow {
  id: number;
  ts: number;
  symbol: string;
  source: string;
  direction: SignalDirection;
  strength: number;
  price: number | null;
  reason: string | null;
}

/**
 * A row of `GET /api/v1/predictions`: the stored prediction with its model's kind and horizon (a live `predictions`
 * event is the bus's Prediction, whose `horizon` is an interval name).
 */
export interface PredictionRow {
  id: number;
  ts: number;
  symbol: string;
  /** The bar interval the model reads. */
  interval: string;
  /** `name@version`. */
  model: string;
  kind: string;
  horizonMs: number | null;
  predicted: PredictionClass | null;
  probabilities: PredictionProbabilities | null;
  confidence: number | null;
  predictedReturn: number | null;
}

/** A model of `GET /api/v1/models`. */
export interface ModelSummary {
  id: number;
  modelId: string;
  kind: string;
  symbol: string;
  interval: string;
  horizonMs: number;
  status: string;
  active: boolean;
  createdAt: number;
}

export interface BarRow {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface PositionRow {
  symbol: string;
  side?: 'long' | 'short';
  quantity: number;
  averagePrice: number;
  markPrice?: number | null;
  unrealizedPnl?: number | null;
  realizedPnl?: number | null;
  marketValue?: number | null;
  updatedAt?: number;
}

export interface PortfolioSnapshot {
  ts: number;
  cash: number;
  equity: number;
  /** Gross: Σ |quantity| × mark. */
  exposure: number;
  /** Gross exposure / equity. */
  leverage?: number;
  unrealizedPnl: number;
  realizedPnl: number;
  feesPaid: number;
  /** ≤ 0, a fraction of the peak equity. */
  drawdown?: number;
  positions: number;
}

export interface EquityPoint {
  ts: number;
  equity: number;
  cash?: number;
  drawdown: number;
}

export type MetricValue = number | string | boolean | null;

export interface BacktestSummary {
  id: string;
  strategy: string;
  symbols: string[] | string;
  /** Bar interval of the run (`1d`, `1m` …). */
  interval: string;
  /** First bar open of the range, epoch ms. */
  from: number | null;
  /** End of the range, exclusive: the first instant after it (see backtestRunRange). */
  to: number | null;
  status: string;
  createdAt: number;
  /** The contract's "metrics summary": a few headline figures of the run. */
  metrics?: Record<string, MetricValue> | null;
}

export interface BacktestTrade {
  symbol: string;
  direction?: string;
  side?: string;
  quantity: number;
  entryTs: number;
  entryPrice: number;
  exitTs: number | null;
  exitPrice: number | null;
  pnl: number | null;
  returnPct?: number | null;
  fees?: number | null;
}

export interface BacktestDetail extends BacktestSummary {
  params?: Record<string, MetricValue> | null;
  benchmark?: Record<string, MetricValue> | null;
  benchmarkMetrics?: Record<string, MetricValue> | null;
  equity?: { ts: number; equity: number; drawdown: number }[];
  trades?: BacktestTrade[];
}

/** `POST /api/v1/backtests`' 202: the job, whose id is also the id of the run it stores. */
export interface BacktestSubmitted {
  id: string;
  status: BacktestJobStatus;
  submittedAt: number;
}

/** `GET /api/v1/backtests/:id/progress`: the service's job progress as the route sends it. */
export type BacktestProgress = BacktestJobProgress;

// `GET /api/v1/optimizations/methods` describes each method and each field of `POST /api/v1/optimizations`.
export type { OptimizationMethodSpec, OptimizationRequestFieldSpec };

/**
 * `GET /api/v1/optimizations/methods`: the methods `POST /api/v1/optimizations` runs by id (`all` first) and the
 * fields it takes with their defaults and bounds, as the quantum-optimization library declares them.
 */
export interface OptimizationMethodCatalog {
  items: OptimizationMethodSpec[];
  fields: OptimizationRequestFieldSpec[];
}
