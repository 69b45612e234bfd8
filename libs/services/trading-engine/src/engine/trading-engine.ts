import {
  ConfigError,
  type Bar,
  type Clock,
  type FieldProblem,
  type PlatformTopics,
  type Quote,
  type RrrError,
  type Signal,
  type Trade,
} from '@rrr/core';
import type { ExchangeAdapter } from '../exchange/exchange-adapter';
import { SignalExecutor, type ExecutionOutcome, type ProtectiveStopOptions } from '../execution/signal-executor';
import type { PositionSizer } from '../execution/position-sizer';
import { OrderManager, type TradingLogger, type TradingTopic } from '../oms/order-manager';
import type { IdGenerator } from '../oms/sequential-ids';
import type { SessionCalendar } from '../orders/session-calendar';
import { Portfolio, type PortfolioSnapshot } from '../portfolio/portfolio';
import type { PreTradeCheck } from '../risk/pre-trade-check';
import type { TradingStore } from '../store/trading-store';
import type { Strategy } from '../strategies/strategy';

/** Topics the engine publishes: the OMS's (orders, fills, positions) and the strategies' signals. */
export type EngineTopic = TradingTopic | 'signal';
export type EnginePublisher = <K extends EngineTopic>(topic: K, payload: PlatformTopics[K]) => void;

export interface TradingEngineDeps {
  store: TradingStore;
  exchange: ExchangeAdapter;
  clock: Clock;
  risk?: PreTradeCheck;
  publish?: EnginePublisher;
  logger?: TradingLogger;
  ids?: IdGenerator;
  sessions?: SessionCalendar;
  strategies?: readonly Strategy[];
  sizer?: PositionSizer;
  /** Told once, when a failed write stops the OMS. */
  onFailure?: (error: RrrError) => void;
}

export interface TradingEngineConfig {
  /** The account currency; every traded symbol must be quoted in it. */
  quoteCurrency: string;
  /** Cash the ledger starts with (only when the store holds no ledger yet). */
  initialCash: number;
  /** The tradable universe; omitted: any symbol quoted in quoteCurrency. */
  symbols?: readonly string[];
  /** Let the executor open short positions; default false. */
  allowShort?: boolean;
  /** Bracket entries the executor opens; default none. */
  stops?: ProtectiveStopOptions;
  /** Minimum time between stored portfolio snapshots; 0 stores one per bar close. Default 60,000. */
  snapshotEveryMs?: number;
  /** Equity observations kept in memory; default 100,000. */
  maxEquityHistory?: number;
  /** Equity history read back on start (for the loss limits); default: the last 31 days. */
  equityHistoryDays?: number;
}

/** What processBar did, for the caller (the backtester records it). */
export interface BarOutcome {
  signals: Signal[];
  executions: ExecutionOutcome[];
}

function checkConfig(config: TradingEngineConfig): void {
  const problems: FieldProblem[] = [];
  if (!/^[A-Z0-9]{2,12}$/.test(config.quoteCurrency)) {
    problems.push({
      field: 'quoteCurrency',
      message: 'must be a currency code such as USD',
      value: config.quoteCurrency,
    });
  }
  if (!(config.initialCash >= 0) || !Number.isFinite(config.initialCash)) {
    problems.push({ field: 'initialCash', message: 'must be a finite amount >= 0', value: config.initialCash });
  }
  const every = config.snapshotEveryMs ?? 0;
  if (!Number.isInteger(every) || every < 0) {
    problems.push({ field: 'snapshotEveryMs', message: 'must be an integer >= 0', value: config.snapshotEveryMs });
  }
  if (problems.length > 0) throw new ConfigError(problems, 'trading engine config');
}

/**
 * The trading engine as one object, identical for paper trading, live trading and the backtester: the OMS over a
 * venue and a store, the portfolio, the strategies and the executor. Drive it with processBar (and processTrade /
 * processQuote when ticks are available); the only differences between a backtest and live trading are the clock,
 * the exchange adapter and the store that are injected.
 *
 * Per bar, in this order: (1) the venue matches working orders against the bar (orders placed at the previous close
 * fill at this bar's open), marks move to the close, DAY orders expire; (2) each strategy sees the bar and its
 * signals (after its warm-up) go through the executor: sizing, pre-trade risk, the OMS; (3) equity is recorded and,
 * when due, a portfolio snapshot stored. Deliver each bar at its close: the clock must read bar.ts + interval.
 */
export class TradingEngine {
  readonly oms: OrderManager;
  readonly portfolio: Portfolio;
  readonly executor: SignalExecutor;
  private readonly deps: TradingEngineDeps;
  private readonly config: TradingEngineConfig;
  private readonly strategies: readonly Strategy[];
  /** Bars each strategy has seen, per symbol (for its warm-up). */
  private readonly barsSeen = new Map<Strategy, Map<string, number>>();
  private lastSnapshotTs: number | undefined;
  private started = false;

  constructor(deps: TradingEngineDeps, config: TradingEngineConfig) {
    checkConfig(config);
    this.deps = deps;
    this.config = config;
    this.strategies = deps.strategies ?? [];
    this.portfolio = new Portfolio({
      quoteCurrency: config.quoteCurrency,
      initialCash: config.initialCash,
      maxHistory: config.maxEquityHistory,
    });
    const publish = deps.publish;
    this.oms = new OrderManager({
      store: deps.store,
      exchange: deps.exchange,
      portfolio: this.portfolio,
      clock: deps.clock,
      ...(deps.risk === undefined ? {} : { risk: deps.risk }),
      ...(publish === undefined ? {} : { publish }),
      ...(deps.sessions === undefined ? {} : { sessions: deps.sessions }),
      ...(deps.ids === undefined ? {} : { ids: deps.ids }),
      ...(config.symbols === undefined ? {} : { symbols: config.symbols }),
      ...(deps.logger === undefined ? {} : { logger: deps.logger }),
      ...(deps.onFailure === undefined ? {} : { onFailure: deps.onFailure }),
    });
    this.executor = new SignalExecutor({
      oms: this.oms,
      portfolio: this.portfolio,
      ...(deps.sizer === undefined ? {} : { sizer: deps.sizer }),
      allowShort: config.allowShort === true,
      ...(config.stops === undefined ? {} : { stops: config.stops }),
    });
  }

  get store(): TradingStore {
    return this.deps.store;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Connects the venue and rebuilds the book from the store (crash recovery included). */
  async start(): Promise<void> {
    if (this.started) return;
    await this.deps.exchange.start();
    const days = this.config.equityHistoryDays ?? 31;
    await this.oms.recover(Math.max(0, this.deps.clock.now() - days * 86_400_000));
    this.started = true;
  }

  /** Waits for every write and follow-up, then disconnects the venue. Working orders stay working. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.oms.flush();
    await this.deps.exchange.stop();
  }

  async processBar(bar: Bar): Promise<BarOutcome> {
    await this.oms.onBar(bar);
    this.executor.observeClose(bar.symbol, bar.close);
    const now = this.deps.clock.now();
    const signals: Signal[] = [];
    const executions: ExecutionOutcome[] = [];
    const context = { now, position: (symbol: string) => this.portfolio.quantity(symbol) };
    for (const strategy of this.strategies) {
      if (strategy.symbols !== undefined && !strategy.symbols.includes(bar.symbol)) continue;
      let seenBySymbol = this.barsSeen.get(strategy);
      if (seenBySymbol === undefined) {
        seenBySymbol = new Map();
        this.barsSeen.set(strategy, seenBySymbol);
      }
      const seen = (seenBySymbol.get(bar.symbol) ?? 0) + 1;
      seenBySymbol.set(bar.symbol, seen);
      const result = strategy.onBar(bar, context);
      // Most strategies answer synchronously; awaiting a plain array would still cost a turn of the microtask queue.
      const produced = Array.isArray(result) ? result : await result;
      // Indicators are fed from the first bar; their signals count only once the declared warm-up is complete.
      if (seen < strategy.warmupBars) continue;
      for (const signal of produced) {
        signals.push(signal);
        this.deps.publish?.('signal', { ...signal });
        executions.push(await this.executor.execute(signal));
      }
    }
    this.portfolio.recordEquity(now);
    if (this.snapshotDue(now)) await this.snapshot();
    if (this.deps.exchange.capabilities.fillsAtBarClose === true && executions.some((e) => e.status === 'submitted')) {
      await this.oms.onBarClose(bar);
    }
    return { signals, executions };
  }

  async processTrade(trade: Trade): Promise<void> {
    await this.oms.onTrade(trade);
  }

  async processQuote(quote: Quote): Promise<void> {
    await this.oms.onQuote(quote);
  }

  /** Stores a portfolio snapshot now and returns it. */
  async snapshot(): Promise<PortfolioSnapshot> {
    const snapshot = this.portfolio.snapshot(this.deps.clock.now());
    await this.deps.store.write({ snapshots: [snapshot] });
    this.lastSnapshotTs = snapshot.ts;
    return snapshot;
  }

  /** At most one snapshot per `snapshotEveryMs` (per instant when 0: several symbols' bars share a close). */
  private snapshotDue(now: number): boolean {
    const every = Math.max(this.config.snapshotEveryMs ?? 60_000, 1);
    return this.lastSnapshotTs === undefined || now - this.lastSnapshotTs >= every;
  }
}
