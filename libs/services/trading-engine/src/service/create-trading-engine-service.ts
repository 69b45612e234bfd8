import {
  ConfigError,
  systemClock,
  type Bar,
  type BusSubscription,
  type Clock,
  type Database,
  type EventBus,
  type FieldProblem,
  type Fill,
  type HealthReport,
  type Interval,
  type MetricsRegistry,
  type PlatformConfig,
  type PlatformTopics,
  type RrrError,
  type Service,
} from '@rrr/core';
import { PreTradeRiskEngine, type RiskLimits } from '@rrr/risk-management';
import { TradingEngine, type EnginePublisher } from '../engine/trading-engine';
import type { ExchangeAdapter } from '../exchange/exchange-adapter';
import type { PositionSizer } from '../execution/position-sizer';
import type { ProtectiveStopOptions } from '../execution/signal-executor';
import type { SubmitOrderOptions, TradingLogger } from '../oms/order-manager';
import { sequentialIds } from '../oms/sequential-ids';
import type { OmsOrder } from '../orders/oms-order';
import type { OrderModification } from '../orders/order-modification';
import { dailySessionCalendar, type DailySessionOptions } from '../orders/session-calendar';
import type { LimitFillRule } from '../paper/evaluate-paper-order';
import { PaperExchange } from '../paper/paper-exchange';
import { fixedBpsSlippage } from '../paper/slippage-model';
import type { PortfolioSnapshot } from '../portfolio/portfolio';
import type { TradingPosition } from '../positions/trading-position';
import type { PreTradeCheck } from '../risk/pre-trade-check';
import { SqlTradingStore } from '../store/sql-trading-store';
import type { FillQuery, OrderQuery, OrderRejectionRecord, TradingStore } from '../store/trading-store';
import type { Strategy } from '../strategies/strategy';
import { readWarmUpBars, warmUpNeeds } from '../strategies/strategy-warm-up-bars';

export interface TradingEngineServiceDeps {
  db: Database;
  bus: EventBus<PlatformTopics>;
  clock?: Clock;
  logger?: TradingLogger;
  metrics?: MetricsRegistry;
  /** Pre-trade risk; default: a PreTradeRiskEngine with `config.risk` limits and the configured symbols. */
  risk?: PreTradeCheck;
  /**
   * Default: a PaperExchange built from `config.paper`. Live trading passes a CcxtLiveAdapter (the platform does when
   * config `trading.venue` names an exchange), which checks the account holds the ledger's cash (`initialCash`).
   */
  exchange?: ExchangeAdapter;
  /** Default: SqlTradingStore on `db`. */
  store?: TradingStore;
  strategies?: readonly Strategy[];
  sizer?: PositionSizer;
  /**
   * Told once when a failed write stops the engine (health down, calls refused with SERVICE_UNAVAILABLE). The platform
   * passes its registry's `reportFailure`: the restart that follows rebuilds the engine from the database.
   */
  onFailure?: (error: RrrError) => void;
}

export interface TradingEngineServiceConfig {
  /** The tradable universe (config.data.symbols fits); each must be quoted in paper.quoteCurrency. */
  symbols: readonly string[];
  /** Fees, slippage, latency, initial cash and account currency (config.paper fits). */
  paper: PlatformConfig['paper'];
  /**
   * The cash, in paper.quoteCurrency, the ledger opens with when the store holds none yet (a stored ledger wins);
   * default paper.initialCash. The platform passes the same figure its risk service measures equity from:
   * paper.initialCash on the paper venue, trading.capital on an exchange.
   */
  initialCash?: number;
  /** Risk limits (config.risk fits); used when deps.risk is not given. */
  risk?: Partial<RiskLimits>;
  /** Default 'through'. */
  limitFillRule?: LimitFillRule;
  /** Default 0.1; null: fills not capped by bar volume. */
  barVolumeShare?: number | null;
  /** Seed of the simulated latency; default 1. */
  latencySeed?: number;
  allowShort?: boolean;
  /** When DAY orders end; default daily close 00:00 UTC. */
  session?: DailySessionOptions;
  stops?: ProtectiveStopOptions;
  snapshotEveryMs?: number;
  /** Also match the paper exchange on 'trade' and 'quote' events; default true. */
  useTicks?: boolean;
  /** Prefix of order and fill ids (distinct per engine when engines share a database). */
  idPrefix?: string;
  /**
   * The interval of the bars the strategies are fed live: at the first live bar of a symbol, the newest stored bars
   * of it before that bar warm each strategy's indicators (as many as its warm-up needs), so signals need not wait
   * for that many live bars. Omitted: no warm-up from the database.
   */
  warmUpInterval?: Interval;
}

export interface TradingEngineService extends Service {
  /** The current engine: a start after a failure replaces it with one rebuilt from the database. */
  readonly engine: TradingEngine;
  submitOrder(request: unknown, options?: SubmitOrderOptions): Promise<OmsOrder>;
  cancelOrder(id: string): Promise<OmsOrder>;
  modifyOrder(id: string, modification: OrderModification): Promise<OmsOrder>;
  getOrder(id: string): Promise<OmsOrder>;
  listOrders(query?: OrderQuery): Promise<OmsOrder[]>;
  listFills(query?: FillQuery): Promise<Fill[]>;
  listRejections(limit?: number): Promise<OrderRejectionRecord[]>;
  positions(): TradingPosition[];
  portfolio(): PortfolioSnapshot;
}

function checkServiceConfig(config: TradingEngineServiceConfig): void {
  const problems: FieldProblem[] = [];
  if (!Array.isArray(config.symbols) || config.symbols.length === 0) {
    problems.push({ field: 'symbols', message: 'must list at least one symbol', value: config.symbols });
  }
  if (config.paper === undefined || config.paper === null) {
    problems.push({ field: 'paper', message: 'is required (the platform config.paper section fits)' });
  }
  if (problems.length > 0) throw new ConfigError(problems, 'trading engine service config');
}

/**
 * The trading engine as a platform service (fastify-style factory): builds the engine over the database, the event
 * bus and the injected or default parts; `start` rebuilds the book from the database and subscribes to 'bar'
 * (and 'trade' / 'quote'), which drive the venue and the strategies; every order.*, fill, position and signal event
 * is published after it was persisted. `stop` unsubscribes and waits for pending writes.
 */
export function createTradingEngineService(
  deps: TradingEngineServiceDeps,
  config: TradingEngineServiceConfig,
): TradingEngineService {
  checkServiceConfig(config);
  const clock = deps.clock ?? systemClock;
  const paper = config.paper;
  const initialCash = config.initialCash ?? paper.initialCash;
  const paperExchange = (): PaperExchange =>
    new PaperExchange({
      clock,
      initialBalances: { [paper.quoteCurrency]: initialCash },
      fees: { makerRate: paper.makerFeeRate, takerRate: paper.takerFeeRate },
      slippage: fixedBpsSlippage(paper.slippageBps),
      latency: { minMs: paper.latencyMinMs, maxMs: paper.latencyMaxMs, seed: config.latencySeed ?? 1 },
      ...(config.limitFillRule === undefined ? {} : { limitFillRule: config.limitFillRule }),
      ...(config.barVolumeShare === undefined ? {} : { barVolumeShare: config.barVolumeShare }),
      allowShort: config.allowShort === true,
    });
  const risk = deps.risk ?? new PreTradeRiskEngine({ limits: config.risk ?? {}, knownSymbols: config.symbols });

  const ordersTotal = deps.metrics?.counter<'status'>({
    name: 'rrr_trading_orders_total',
    help: 'Order status changes published by the trading engine',
    labelNames: ['status'],
  });
  const fillsTotal = deps.metrics?.counter({ name: 'rrr_trading_fills_total', help: 'Fills persisted and published' });
  const submitSeconds = deps.metrics?.histogram({
    name: 'rrr_trading_submit_seconds',
    help: 'submitOrder until the acknowledgement is persisted',
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
  });

  const publish: EnginePublisher = (topic, payload) => {
    if (topic.startsWith('order.')) ordersTotal?.inc({ status: topic.slice('order.'.length) });
    if (topic === 'fill') fillsTotal?.inc();
    deps.bus.publish(topic, payload).catch((error: unknown) => {
      deps.logger?.warn({ topic, err: error }, 'trading event could not be published');
    });
  };

  // A fresh default venue and store with each engine: none of a failed engine's order book is carried over. Injected
  // parts (a live venue, a store, the strategies and their indicator state) are the same objects in the rebuilt one.
  const buildEngine = (): TradingEngine =>
    new TradingEngine(
      {
        store: deps.store ?? new SqlTradingStore(deps.db),
        exchange: deps.exchange ?? paperExchange(),
        clock,
        risk,
        publish,
        ids: sequentialIds(config.idPrefix ?? ''),
        sessions: dailySessionCalendar(config.session),
        ...(deps.logger === undefined ? {} : { logger: deps.logger }),
        ...(deps.strategies === undefined ? {} : { strategies: deps.strategies }),
        ...(deps.sizer === undefined ? {} : { sizer: deps.sizer }),
        ...(deps.onFailure === undefined ? {} : { onFailure: deps.onFailure }),
      },
      {
        quoteCurrency: paper.quoteCurrency,
        initialCash,
        symbols: config.symbols,
        ...(config.allowShort === undefined ? {} : { allowShort: config.allowShort }),
        ...(config.stops === undefined ? {} : { stops: config.stops }),
        ...(config.snapshotEveryMs === undefined ? {} : { snapshotEveryMs: config.snapshotEveryMs }),
      },
    );
  let engine = buildEngine();

  let subscriptions: BusSubscription[] = [];
  let lastBarTs: number | undefined;
  /**
   * Symbols whose strategies were warmed from stored bars: at the first live bar of each, not at start, so history
   * a feed stores while the services start (or in another process) is there. Kept across a rebuild after a
   * failure, whose engine continues the same warm strategies.
   */
  const warmedSymbols = new Set<string>();
  let warmedUpBars = 0;
  const needs = warmUpNeeds(deps.strategies ?? [], config.symbols);
  const warmUp = async (first: Bar): Promise<void> => {
    const need = needs.get(first.symbol);
    if (need === undefined) return;
    const history = await readWarmUpBars(deps.db, first.symbol, first.interval, need, first.ts);
    const fed = await engine.warmUp(history);
    warmedUpBars += fed;
    deps.logger?.info(
      { symbol: first.symbol, bars: fed, interval: first.interval },
      'strategies warmed up from stored bars',
    );
  };
  const symbols = new Set(config.symbols);
  const report = (error: unknown, what: string): void => {
    deps.logger?.error({ err: error }, `trading engine failed to process a ${what}`);
  };

  return {
    get engine() {
      return engine;
    },
    async start() {
      // The stopped engine's memory may be ahead of the database; only the database is trusted.
      if (engine.oms.failed !== undefined) {
        const failed = engine;
        engine = buildEngine();
        engine.continueStrategiesOf(failed);
      }
      await engine.start();
      subscriptions.push(
        await deps.bus.subscribe(
          'bar',
          async (bar) => {
            if (!symbols.has(bar.symbol)) return;
            lastBarTs = bar.ts;
            if (bar.interval === config.warmUpInterval && !warmedSymbols.has(bar.symbol)) {
              warmedSymbols.add(bar.symbol);
              await warmUp(bar).catch((error: unknown) => report(error, 'warm-up from stored bars'));
            }
            await engine.processBar(bar).catch((error: unknown) => report(error, 'bar'));
          },
          { durable: 'trading-engine-bars' },
        ),
      );
      if (config.useTicks !== false) {
        subscriptions.push(
          await deps.bus.subscribe('trade', async (trade) => {
            if (symbols.has(trade.symbol)) await engine.processTrade(trade).catch((e: unknown) => report(e, 'trade'));
          }),
          await deps.bus.subscribe('quote', async (quote) => {
            if (symbols.has(quote.symbol)) await engine.processQuote(quote).catch((e: unknown) => report(e, 'quote'));
          }),
        );
      }
    },
    async stop() {
      const current = subscriptions;
      subscriptions = [];
      await Promise.all(current.map((s) => s.unsubscribe()));
      await engine.stop();
    },
    health(): HealthReport {
      const failure = engine.oms.failed;
      const valuation = engine.portfolio.valuation();
      return {
        status: failure !== undefined ? 'down' : engine.isStarted ? 'up' : 'down',
        details: {
          venue: engine.oms.venue,
          workingOrders: engine.oms.getWorkingOrders().length,
          equity: valuation.equity,
          cash: valuation.cash,
          lastBarTs: lastBarTs ?? null,
          // What a real venue reported free at start, next to the ledger's cash: the engine trades only its share.
          ...(engine.isStarted && deps.exchange?.balancesAtStart !== undefined
            ? { venueBalances: deps.exchange.balancesAtStart() }
            : {}),
          ...(config.warmUpInterval === undefined ? {} : { warmedUpBars }),
          ...(failure === undefined ? {} : { error: failure.message }),
        },
      };
    },
    async submitOrder(request, options) {
      const started = performance.now();
      try {
        return await engine.oms.submitOrder(request, options);
      } finally {
        submitSeconds?.observe((performance.now() - started) / 1000);
      }
    },
    cancelOrder: (id) => engine.oms.cancelOrder(id),
    modifyOrder: (id, modification) => engine.oms.modifyOrder(id, modification),
    getOrder: (id) => engine.oms.getOrder(id),
    listOrders: (query) => engine.oms.listOrders(query),
    listFills: (query) => engine.store.listFills(query),
    listRejections: (limit) => engine.store.listRejections(limit),
    positions: () => engine.portfolio.positions(),
    portfolio: () => engine.portfolio.snapshot(clock.now()),
  };
}
