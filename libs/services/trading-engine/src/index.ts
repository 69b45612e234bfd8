// Orders: the lifecycle as plain data and pure functions
export { ORDER_TRANSITIONS, assertOrderTransition, canTransitionOrder } from './orders/order-transitions';
export { OrderTransitionError } from './orders/order-transition-error';
export { isWorkingOmsOrder, type BracketRole, type OmsOrder } from './orders/oms-order';
export { reviseOrder, transitionOrder, type OrderTransitionPatch } from './orders/transition-order';
export { applyFillToOrder } from './orders/apply-fill-to-order';
export { applyOrderModification, type OrderModification } from './orders/order-modification';
export { orderRequestFingerprint } from './orders/order-request-fingerprint';
export { dailySessionCalendar, type DailySessionOptions, type SessionCalendar } from './orders/session-calendar';

// Positions and portfolio
export { applyFill } from './positions/apply-fill';
export { flatPosition, positionMarketValue, unrealizedPnl, type TradingPosition } from './positions/trading-position';
export { applyFillToBalances, fillBalanceChanges, type Balances } from './portfolio/balances';
export { valuePortfolio, type PortfolioValuation } from './portfolio/portfolio-valuation';
export { equityReturns, type EquityObservation, type PeriodReturn } from './portfolio/equity-returns';
export { Portfolio, type PortfolioOptions, type PortfolioSnapshot, type PortfolioState } from './portfolio/portfolio';

// Venues
export type {
  CancelAck,
  ExchangeAdapter,
  ExchangeCapabilities,
  ExecutionEvent,
  ExecutionListener,
  LedgerAtStart,
  VenueAck,
  VenueExecution,
} from './exchange/exchange-adapter';
export { PaperExchange, type PaperExchangeOptions, type BarFillTiming } from './paper/paper-exchange';
export {
  evaluatePaperOrder,
  reachesLimit,
  trailingStopPrice,
  type LimitFillRule,
  type PaperOrderDecision,
  type PaperOrderState,
} from './paper/evaluate-paper-order';
export { barWindow, quoteWindow, tradeWindow, type PriceWindow } from './paper/price-window';
export { symbolParts } from './portfolio/symbol-parts';
export {
  fixedBpsSlippage,
  slippedPrice,
  volatilitySlippage,
  volumeShareSlippage,
  type SlippageContext,
  type SlippageModel,
} from './paper/slippage-model';
export { DEFAULT_FEE_SCHEDULE, executionFee, type FeeSchedule } from './paper/fee-schedule';

// Persistence
export type {
  BalanceWrite,
  FillQuery,
  OrderQuery,
  OrderRejectionRecord,
  OrderWrite,
  PositionWrite,
  StoredTradingState,
  TradingStore,
  TradingStoreChanges,
} from './store/trading-store';
export { SqlTradingStore } from './store/sql-trading-store';
export { InMemoryTradingStore } from './store/in-memory-trading-store';

// OMS, risk, execution, strategies
export {
  OrderManager,
  type OrderManagerOptions,
  type SubmitOrderOptions,
  type TradingEventPublisher,
  type TradingLogger,
  type TradingTopic,
} from './oms/order-manager';
export { sequentialIds, type IdGenerator } from './oms/sequential-ids';
export { allowAllPreTradeCheck, type PreTradeCheck, type PreTradeVerdict } from './risk/pre-trade-check';
export {
  fixedFractionSizer,
  kellySizer,
  volatilityTargetSizer,
  type FixedFractionSizerOptions,
  type PositionSizer,
  type SizingRequest,
  type VolatilityTargetSizerOptions,
} from './execution/position-sizer';
export {
  SignalExecutor,
  clientOrderIdFor,
  type ExecutionOutcome,
  type OrderSubmitter,
  type ProtectiveStopOptions,
  type SignalExecutorOptions,
} from './execution/signal-executor';
export { regimeSignal, type Regime, type Strategy, type StrategyContext } from './strategies/strategy';
export { SmaCrossStrategy, type SmaCrossOptions } from './strategies/sma-cross-strategy';
export { BollingerReversionStrategy, type BollingerReversionOptions } from './strategies/bollinger-reversion-strategy';
export { BuyAndHoldStrategy } from './strategies/buy-and-hold-strategy';
export {
  PredictorStrategy,
  type PredictionLike,
  type Predictor,
  type PredictorStrategyOptions,
} from './strategies/predictor-strategy';

// The engine and the service
export {
  TradingEngine,
  type BarOutcome,
  type EnginePublisher,
  type EngineTopic,
  type TradingEngineConfig,
  type TradingEngineDeps,
} from './engine/trading-engine';
export {
  createTradingEngineService,
  type TradingEngineService,
  type TradingEngineServiceConfig,
  type TradingEngineServiceDeps,
} from './service/create-trading-engine-service';

// Live trading
export {
  CcxtLiveAdapter,
  assertLiveTradingAllowed,
  type CcxtLiveAdapterOptions,
  type LiveExchangeClient,
  type LiveTimers,
} from './live/ccxt-live-adapter';
