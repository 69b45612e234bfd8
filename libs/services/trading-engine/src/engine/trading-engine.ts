import {
  ConfigError,
  intervalMs,
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
import { isPromise, type MaybePromise } from '../oms/maybe-promise';
import type { IdGenerator } from '../oms/sequential-ids';
import type { SessionCalendar } from '../orders/session-calendar';
import { Portfolio, type PortfolioSnapshot } from '../portfolio/portfolio';
import type { PreTradeCheck } from '../risk/pre-trade-check';
import type { TradingStore } from '../store/trading-store';
import type { Strategy, StrategyContext } from '../strategies/strategy';

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

/** Where processing a bar stands: which strategy, which of its signals; resumed after a step had to wait. */
interface BarRun {
  bar: Bar;
  now: number;
  context: StrategyContext;
  signals: Signal[];
  executions: ExecutionOutcome[];
  strategy: number;
  produced: readonly Signal[] | undefined;
  signal: number;
}

const NO_SIGNALS: readonly Signal[] = [];

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
  private barsSeen = new Map<Strategy, Map<string, number>>();
  /** Per symbol, the newest bar fed by warmUp: a live bar not newer (redelivered, or stored and published) is not
   * shown to the strategies twice. Undefined until a warm-up, so a backtest pays nothing for it. */
  private warmedUntil: Map<string, number> | undefined;
  private lastSnapshotTs: number | undefined;
  private readonly positionOf = (symbol: string): number => this.portfolio.quantity(symbol);
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
    return this.processBarNow(bar);
  }

  /**
   * Feeds history (bars oldest first, any symbols) to the strategies before live bars arrive, so a started engine
   * need not wait out each strategy's warm-up on live time. Each strategy gets the newest `warmupBars - 1` bars of
   * each symbol it trades: the first live bar then completes its warm-up, and what the strategy says on it counts —
   * exactly as if the history had arrived live (a trend follower still joins the trend it finds). Nothing else
   * happens: no signal is published or executed, the venue and the portfolio do not see the bars. Returns how many
   * distinct bars were fed.
   */
  async warmUp(bars: readonly Bar[]): Promise<number> {
    const warmedUntil = (this.warmedUntil ??= new Map());
    const bySymbol = new Map<string, Bar[]>();
    for (const bar of bars) {
      const until = warmedUntil.get(bar.symbol);
      if (until !== undefined && bar.ts <= until) continue;
      let series = bySymbol.get(bar.symbol);
      if (series === undefined) bySymbol.set(bar.symbol, (series = []));
      series.push(bar);
    }
    let fed = 0;
    for (const [symbol, series] of bySymbol) {
      let longest = 0;
      for (const strategy of this.strategies) {
        if (strategy.symbols !== undefined && !strategy.symbols.includes(symbol)) continue;
        const history = series.slice(Math.max(0, series.length - (strategy.warmupBars - 1)));
        for (const bar of history) {
          this.countBar(strategy, symbol);
          await strategy.onBar(bar, { now: bar.ts + intervalMs(bar.interval), position: this.positionOf });
        }
        longest = Math.max(longest, history.length);
      }
      const last = series[series.length - 1];
      warmedUntil.set(symbol, last.ts);
      this.executor.observeClose(symbol, last.close);
      fed += longest;
    }
    return fed;
  }

  /**
   * Takes over the strategies' warm-up counts from the engine this one replaces (a rebuild after a failure keeps
   * the same strategy objects, whose indicators are already warm).
   */
  continueStrategiesOf(previous: TradingEngine): void {
    this.barsSeen = previous.barsSeen;
    this.warmedUntil = previous.warmedUntil;
  }

  /**
   * processBar, answering at once when nothing on the way waits for I/O (in-memory store, paper exchange, strategies
   * that answer synchronously): a backtest's bar then costs no microtask turns. Otherwise the same steps continue
   * asynchronously from where one had to wait.
   */
  processBarNow(bar: Bar): MaybePromise<BarOutcome> {
    const followUps = this.oms.onBarNow(bar);
    if (followUps !== undefined) return followUps.then(() => this.runStrategies(this.startBar(bar)));
    return this.runStrategies(this.startBar(bar));
  }

  private startBar(bar: Bar): BarRun {
    this.executor.observeClose(bar.symbol, bar.close);
    const now = this.deps.clock.now();
    return {
      bar,
      now,
      context: { now, position: this.positionOf },
      signals: [],
      executions: [],
      strategy: 0,
      produced: undefined,
      signal: 0,
    };
  }

  /** Runs the strategies (and their signals through the executor) from where `run` stands. */
  private runStrategies(run: BarRun): MaybePromise<BarOutcome> {
    const { bar } = run;
    if (this.warmedUntil !== undefined && bar.ts <= (this.warmedUntil.get(bar.symbol) ?? -Infinity)) {
      return this.finishBar(run);
    }
    for (; run.strategy < this.strategies.length; run.strategy += 1, run.produced = undefined, run.signal = 0) {
      if (run.produced === undefined) {
        const strategy = this.strategies[run.strategy];
        if (strategy.symbols !== undefined && !strategy.symbols.includes(bar.symbol)) continue;
        const seen = this.countBar(strategy, bar.symbol);
        const result = strategy.onBar(bar, run.context);
        // Indicators are fed from the first bar; their signals count only once the declared warm-up is complete.
        const warm = seen >= strategy.warmupBars;
        if (!Array.isArray(result)) {
          return result.then((produced) => {
            run.produced = warm ? produced : NO_SIGNALS;
            return this.runStrategies(run);
          });
        }
        run.produced = warm ? result : NO_SIGNALS;
      }
      while (run.signal < run.produced.length) {
        const signal = run.produced[run.signal];
        run.signal += 1;
        run.signals.push(signal);
        this.deps.publish?.('signal', { ...signal });
        const outcome = this.executor.executeNow(signal);
        if (isPromise(outcome)) {
          return outcome.then((execution) => {
            run.executions.push(execution);
            return this.runStrategies(run);
          });
        }
        run.executions.push(outcome);
      }
    }
    return this.finishBar(run);
  }

  private countBar(strategy: Strategy, symbol: string): number {
    let seenBySymbol = this.barsSeen.get(strategy);
    if (seenBySymbol === undefined) {
      seenBySymbol = new Map();
      this.barsSeen.set(strategy, seenBySymbol);
    }
    const seen = (seenBySymbol.get(symbol) ?? 0) + 1;
    seenBySymbol.set(symbol, seen);
    return seen;
  }

  private finishBar(run: BarRun): MaybePromise<BarOutcome> {
    const { bar, now, signals, executions } = run;
    this.portfolio.recordEquity(now);
    const outcome: BarOutcome = { signals, executions };
    let pending: Promise<unknown> | undefined;
    if (this.snapshotDue(now)) {
      const stored = this.snapshotNow();
      if (isPromise(stored)) pending = stored;
    }
    if (this.deps.exchange.capabilities.fillsAtBarClose === true && executions.some((e) => e.status === 'submitted')) {
      pending = pending === undefined ? this.oms.onBarClose(bar) : pending.then(() => this.oms.onBarClose(bar));
    }
    return pending === undefined ? outcome : pending.then(() => outcome);
  }

  async processTrade(trade: Trade): Promise<void> {
    await this.oms.onTrade(trade);
  }

  async processQuote(quote: Quote): Promise<void> {
    await this.oms.onQuote(quote);
  }

  /** Stores a portfolio snapshot now and returns it. */
  async snapshot(): Promise<PortfolioSnapshot> {
    return this.snapshotNow();
  }

  /** snapshot, stored at once when the store writes at once. */
  private snapshotNow(): MaybePromise<PortfolioSnapshot> {
    const snapshot = this.portfolio.snapshot(this.deps.clock.now());
    const { store } = this.deps;
    if (store.writeNow !== undefined) {
      store.writeNow({ snapshots: [snapshot] });
      this.lastSnapshotTs = snapshot.ts;
      return snapshot;
    }
    return store.write({ snapshots: [snapshot] }).then(() => {
      this.lastSnapshotTs = snapshot.ts;
      return snapshot;
    });
  }

  /** At most one snapshot per `snapshotEveryMs` (per instant when 0: several symbols' bars share a close). */
  private snapshotDue(now: number): boolean {
    const every = Math.max(this.config.snapshotEveryMs ?? 60_000, 1);
    return this.lastSnapshotTs === undefined || now - this.lastSnapshotTs >= every;
  }
}
