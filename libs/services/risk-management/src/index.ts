// Limits and the book as plain data
export { DEFAULT_RISK_LIMITS, resolveRiskLimits, type RiskLimits } from './risk-limits';
export { isWorkingOrder, type RiskOpenOrder, type RiskPosition, type RiskSnapshot } from './risk-snapshot';
export {
  measurePeriodLosses,
  type EquityPoint,
  type LossPeriod,
  type PeriodLoss,
  type PeriodLosses,
} from './period-losses';
export { parseUtcTimeOfDay, riskPeriodStarts, type RiskPeriodStarts } from './risk-period';

// Pre-trade checks
export { PreTradeRiskEngine, type PreTradeEvaluation, type PreTradeRiskEngineOptions } from './pre-trade-risk-engine';
export { buildPreTradeContext, type PreTradeContext, type SymbolBook } from './pre-trade-context';
export type { PreTradeRule, RuleOutcome, RuleVerdict } from './pre-trade-rule';
export {
  maxConcentrationRule,
  maxLeverageRule,
  maxOpenPositionsRule,
  maxOrderNotionalRule,
  maxPositionRule,
} from './exposure-rules';
export { dailyLossLimitRule, monthlyLossLimitRule, weeklyLossLimitRule } from './loss-limit-rules';
export { haltRule } from './halt-rules';
export { standardPreTradeRules, type StandardRuleControls } from './standard-pre-trade-rules';

// Circuit breaker and kill switch
export type {
  HaltStatus,
  RiskControlEvent,
  RiskControlEventType,
  RiskControlListener,
  TradingHalt,
} from './risk-control-event';
export {
  LossCircuitBreaker,
  type CircuitBreakerState,
  type CircuitBreakerStatus,
  type CircuitBreakerTrip,
  type LossBreach,
  type LossCircuitBreakerDeps,
  type LossLimitRuleName,
} from './loss-circuit-breaker';
export {
  KillSwitch,
  type KillSwitchAction,
  type KillSwitchDeps,
  type KillSwitchEngageRequest,
  type KillSwitchStatus,
} from './kill-switch';

// Sizing
export type {
  FractionClamp,
  SizingMethod,
  SizingReason,
  SizingReasonCode,
  SizingResult,
  SizingTarget,
} from './position-sizing';
export { fixedFractionSize, type FixedFractionInput } from './fixed-fraction-sizing';
export {
  volatilityTargetSize,
  type VolatilityTargetInput,
  type VolatilityTargetResult,
} from './volatility-target-sizing';
export {
  DEFAULT_KELLY_OPTIONS,
  kellyFraction,
  kellySize,
  kellyStatistics,
  type KellyFraction,
  type KellyOptions,
  type KellySizeInput,
  type KellySizeResult,
  type KellyStatistics,
} from './kelly-sizing';
export {
  monteCarloKellyFraction,
  monteCarloKellySize,
  type MonteCarloKellyCandidate,
  type MonteCarloKellyChoice,
  type MonteCarloKellyOptions,
  type MonteCarloKellySizeInput,
  type MonteCarloKellySizeResult,
} from './monte-carlo-kelly';

// Stops
export { wilderAtr, wilderAtrSeries, type AtrBar } from './wilder-atr';
export {
  atrStopPrice,
  DEFAULT_STOP_OPTIONS,
  fixedStopPrice,
  protectiveOrders,
  stopLossOrder,
  takeProfitOrder,
  takeProfitPrice,
  type ExitOrderOptions,
  type PositionDirection,
  type ProtectedPosition,
  type ProtectiveOrders,
  type StopMethod,
} from './stop-orders';
export {
  DEFAULT_TRAILING_STOP,
  TrailingStop,
  type TrailingStopOptions,
  type TrailingStopState,
  type TrailingStopUpdate,
} from './trailing-stop';

// Portfolio risk
export { portfolioReturns, type ReturnMatrix, type ReturnSeries } from './return-series';
export {
  annualisedVolatility,
  beta,
  correlationMatrix,
  covarianceMatrix,
  TRADING_DAYS_PER_YEAR,
} from './risk-statistics';
export {
  empiricalTail,
  historicalVar,
  monteCarloVar,
  parametricVar,
  portfolioVar,
  VAR_CONFIDENCES,
  type MonteCarloVarOptions,
  type MonteCarloVarResult,
  type PortfolioVarInput,
  type VarEstimate,
  type VarMethod,
  type VarReport,
} from './value-at-risk';
export { normalPdf, normalQuantile } from './normal-distribution';
export { createSeededRng, type SeededRng } from './seeded-rng';
export { drawdownSeries, equityCurveFromReturns, maxDrawdown, type MaxDrawdown } from './drawdown';
export { measureExposure, type ExposureSummary } from './exposure-summary';
export {
  computeRiskScore,
  RISK_SCORE_WEIGHTS,
  type RiskLevel,
  type RiskScore,
  type RiskScoreComponent,
  type RiskScoreInputs,
  type RiskScoreMetric,
} from './risk-score';
export { checkPortfolioRisk, type PortfolioRiskCheck, type PortfolioRiskMeasures } from './portfolio-risk-check';
export { assessPortfolioRisk, type PortfolioRiskInput, type PortfolioRiskReport } from './portfolio-risk-report';

// Alerts
export type { RiskAlert, RiskAlertPublisher, RiskAlertSeverity } from './risk-alert';
export {
  RiskAlertManager,
  type AlertDecision,
  type RiskAlertManagerDeps,
  type RiskMeasurement,
} from './risk-alert-manager';

// The platform service
export {
  createRiskManagementService,
  type CircuitBreakerView,
  type KillSwitchExecutor,
  type KillSwitchOutcome,
  type KillSwitchRequest,
  type RiskManagementService,
  type RiskManagementServiceConfig,
  type RiskManagementServiceDeps,
} from './service/create-risk-management-service';
export { RiskBook, type BookPosition, type RiskBookOptions, type RiskBookState } from './service/risk-book';
export { RiskAlertLog } from './service/risk-alert-log';
export {
  measureRiskUsage,
  type RiskLimitUsage,
  type RiskUsage,
  type RiskUsageInput,
} from './service/measure-risk-usage';
export {
  equityValueAtRisk,
  MIN_VAR_OBSERVATIONS,
  type EquityVar,
  type EquityVarRequest,
} from './service/equity-value-at-risk';
