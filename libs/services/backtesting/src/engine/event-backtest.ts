import {
  ConfigError,
  ManualClock,
  ValidationError,
  intervalMs,
  splitSymbol,
  type Bar,
  type FieldProblem,
  type Fill,
  type Interval,
  type PlatformTopics,
} from '@rrr/core';
import { PreTradeRiskEngine, type RiskLimits } from '@rrr/risk-management';
import {
  DEFAULT_FEE_SCHEDULE,
  InMemoryTradingStore,
  PaperExchange,
  TradingEngine,
  fixedFractionSizer,
  sequentialIds,
  type BarOutcome,
  type EngineTopic,
  type FeeSchedule,
  type OmsOrder,
  type PositionSizer,
  type PreTradeCheck,
  type ProtectiveStopOptions,
  type Strategy,
  type TradingPosition,
} from '@rrr/trading-engine';
import { mergeBarArrays, mergeBarStreams, type BarFeed } from '../data/merge-bar-feeds';
import { gatedStrategy } from '../strategies/gated-strategy';
import { slippageModelFor, type FillTiming, type SlippageSpec } from './execution-models';
import { RoundTripLedger, type RoundTrip } from './round-trip-ledger';

export interface EventBacktestConfig {
  /** The symbols traded, in the order that breaks ties between bars of the same time. */
  symbols: readonly string[];
  interval: Interval;
  /** One feed per symbol, parallel to `symbols`, each in time order. */
  feeds: readonly BarFeed[];
  /** Fresh strategy instances (they keep indicator state). */
  strategies: readonly Strategy[];
  initialCapital: number;
  /** Default: 0.1 % maker and taker (legacy commission). */
  fees?: FeeSchedule;
  /** Default: fixed 5 bps. */
  slippage?: SlippageSpec;
  /** Default 'next-open'. */
  fillTiming?: FillTiming;
  /** Let signals open shorts (and the venue sell what is not held). Default false. */
  allowShort?: boolean;
  /** Default: a fixed 20 % of equity per position (the legacy maximum position). */
  sizer?: PositionSizer;
  /** Pre-trade risk; default the risk-management PreTradeRiskEngine with `riskLimits` over `symbols`. */
  risk?: PreTradeCheck;
  riskLimits?: Partial<RiskLimits>;
  /** Bracket every entry from flat with a stop-loss and take-profit (legacy 2 %, 3:1). Default none. */
  stops?: ProtectiveStopOptions;
  /** Share of a bar's volume fills may take; null uncapped. Default 0.1 (the paper exchange's). */
  barVolumeShare?: number | null;
  /**
   * Trade (and record equity) only from this time on: earlier bars only warm the strategies' indicators. Default:
   * from the first bar.
   */
  tradeFrom?: number;
  /** Called every `progressEvery` bars (default 1,000) and at the end with the bars processed so far. */
  onProgress?: (barsProcessed: number) => void;
  progressEvery?: number;
  /**
   * Hand the event loop back (setImmediate) every this many bars. The engine's awaits settle as microtasks, so a
   * replay on a server's thread would otherwise hold up its I/O and timers until the last bar. Default: never.
   */
  yieldEvery?: number;
  signal?: AbortSignal;
}

/**
 * The equity curve as parallel columns, one entry per distinct bar close from the start of trading. The first point
 * is the start (the first traded bar's open time, equity = initial capital); each further point is the account after
 * every bar closing at that time was processed. `benchmark` is buy-and-hold of the symbols (equal money each, bought
 * at each symbol's first traded open, no costs).
 */
export interface EquityCurve {
  ts: number[];
  equity: number[];
  cash: number[];
  grossExposure: number[];
  netExposure: number[];
  benchmark: number[];
  /** The benchmark's money in the market (its symbols not yet started hold their share in cash). */
  benchmarkExposure: number[];
}

/** An order that never reached the book: refused by pre-trade risk or validation, or rejected by the venue. */
export interface OrderRefusal {
  ts: number;
  symbol: string;
  code: string;
  reason: string;
}

export interface EventBacktestResult {
  curve: EquityCurve;
  /** Closed round trips in the order they closed, then the open ones. */
  trades: RoundTrip[];
  fills: Fill[];
  barsProcessed: number;
  /** Bars at or after tradeFrom. */
  barsTraded: number;
  signals: number;
  ordersSubmitted: number;
  /** Refused before reaching the venue (RISK_REJECTED, ORDER_INVALID, CONFLICT). */
  refusals: OrderRefusal[];
  /** Accepted by the OMS, rejected by the venue (e.g. insufficient cash at execution). */
  venueRejections: OrderRefusal[];
  lastCloses: Record<string, number>;
  /** Positions open at the end. */
  positions: TradingPosition[];
}

function checkConfig(config: EventBacktestConfig): string {
  const problems: FieldProblem[] = [];
  if (config.symbols.length === 0) problems.push({ field: 'symbols', message: 'must name at least one symbol' });
  if (config.feeds.length !== config.symbols.length) {
    problems.push({ field: 'feeds', message: `must hold one feed per symbol (${config.symbols.length})` });
  }
  if (new Set(config.symbols).size !== config.symbols.length) {
    problems.push({ field: 'symbols', message: 'must not repeat a symbol', value: config.symbols });
  }
  if (!(config.initialCapital > 0) || !Number.isFinite(config.initialCapital)) {
    problems.push({ field: 'initialCapital', message: 'must be a finite amount > 0', value: config.initialCapital });
  }
  if (config.strategies.length === 0)
    problems.push({ field: 'strategies', message: 'must hold at least one strategy' });
  const quotes = new Set<string>();
  for (const symbol of config.symbols) {
    try {
      quotes.add(splitSymbol(symbol).quote);
    } catch {
      problems.push({ field: 'symbols', message: `"${symbol}" is not a valid symbol`, value: symbol });
    }
  }
  if (quotes.size > 1) {
    problems.push({
      field: 'symbols',
      message: `must all be quoted in one currency (got ${[...quotes].join(', ')})`,
      value: config.symbols,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems, 'backtest configuration');
  return [...quotes][0];
}

/**
 * Replays bars through the trading engine exactly as paper trading runs it — the same strategies, SignalExecutor
 * (sizing), pre-trade risk, OrderManager and PaperExchange — with a ManualClock set to each bar's close and an
 * in-memory store. Several symbols are merged by time. Per bar: the venue matches resting orders against it (an
 * order placed at the previous close fills at this bar's open), then the strategies see the bar at its close and
 * their signals become orders. With fillTiming 'close' each new order is then matched against a print at that
 * bar's close. A strategy is only ever handed bars up to the one it decides on.
 */
export async function runEventBacktest(config: EventBacktestConfig): Promise<EventBacktestResult> {
  const quoteCurrency = checkConfig(config);
  const { symbols, interval } = config;
  const barMs = intervalMs(interval);
  const fillTiming = config.fillTiming ?? 'next-open';
  const tradeFrom = config.tradeFrom ?? Number.NEGATIVE_INFINITY;
  const barVolumeShare = config.barVolumeShare === undefined ? 0.1 : config.barVolumeShare;
  const clock = new ManualClock(0);
  const slippage = slippageModelFor(config.slippage ?? { model: 'fixed', bps: 5 });
  const exchange = new PaperExchange({
    clock,
    initialBalances: { [quoteCurrency]: config.initialCapital },
    fees: config.fees ?? DEFAULT_FEE_SCHEDULE,
    slippage,
    // Orders reach the simulated venue at once: latency would only shift fill times inside the next bar.
    latency: { minMs: 0, maxMs: 0 },
    barVolumeShare,
    allowShort: config.allowShort === true,
    // The venue's fill rule: with 'close', the engine has it match each bar's new orders at that bar's close.
    barFillTiming: fillTiming,
  });

  const fills: Fill[] = [];
  const bracketRoles = new Map<string, string>();
  const venueRejections: OrderRefusal[] = [];
  const publish = <K extends EngineTopic>(topic: K, payload: PlatformTopics[K]): void => {
    if (topic === 'fill') {
      fills.push(payload as Fill);
      return;
    }
    if (topic.startsWith('order.')) {
      const order = payload as OmsOrder;
      if (order.bracketRole !== undefined) bracketRoles.set(order.id, order.bracketRole);
      if (topic === 'order.rejected') {
        venueRejections.push({
          ts: order.updatedAt,
          symbol: order.symbol,
          code: 'VENUE_REJECTED',
          reason: order.rejectReason ?? 'rejected by the venue',
        });
      }
    }
  };

  const strategies = Number.isFinite(tradeFrom)
    ? config.strategies.map((s) => gatedStrategy(s, tradeFrom))
    : config.strategies;
  const engine = new TradingEngine(
    {
      store: new InMemoryTradingStore(),
      exchange,
      clock,
      risk: config.risk ?? new PreTradeRiskEngine({ limits: config.riskLimits ?? {}, knownSymbols: symbols }),
      publish,
      ids: sequentialIds(),
      strategies,
      sizer: config.sizer ?? fixedFractionSizer({ fraction: 0.2 }),
    },
    {
      quoteCurrency,
      initialCash: config.initialCapital,
      symbols,
      allowShort: config.allowShort === true,
      ...(config.stops === undefined ? {} : { stops: config.stops }),
      // The curve is recorded here; stored snapshots would only copy it (one at the start is unavoidable).
      snapshotEveryMs: Number.MAX_SAFE_INTEGER,
      // The portfolio trims its equity history by splicing the array's head on every bar once it is full, which
      // costs O(history) per bar; a backtest keeps all of it (one small object per bar) instead.
      maxEquityHistory: Number.MAX_SAFE_INTEGER,
    },
  );
  await engine.start();

  const curve: EquityCurve = {
    ts: [],
    equity: [],
    cash: [],
    grossExposure: [],
    netExposure: [],
    benchmark: [],
    benchmarkExposure: [],
  };
  const ledger = new RoundTripLedger();
  const lastCloses: Record<string, number> = {};
  const symbolIndex = new Map(symbols.map((s, i) => [s, i]));
  const lastTs = new Array<number>(symbols.length).fill(Number.NEGATIVE_INFINITY);
  const benchmarkUnits = new Array<number>(symbols.length).fill(0);
  const benchmarkShare = config.initialCapital / symbols.length;
  const refusals: OrderRefusal[] = [];
  let appliedFills = 0;
  let groupClose = Number.NaN;
  let trading = false;
  let barsProcessed = 0;
  let barsTraded = 0;
  let signals = 0;
  let ordersSubmitted = 0;
  const progressEvery = Math.max(1, config.progressEvery ?? 1_000);
  const yieldEvery = config.yieldEvery === undefined ? 0 : Math.max(1, config.yieldEvery);
  const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  const lastEquity = (): number =>
    curve.equity.length > 0 ? curve.equity[curve.equity.length - 1] : config.initialCapital;
  const applyNewFills = (): void => {
    for (; appliedFills < fills.length; appliedFills += 1) {
      const fill = fills[appliedFills];
      const role = bracketRoles.get(fill.orderId);
      ledger.apply(fill, role === 'stop-loss' || role === 'take-profit' ? role : 'signal', lastEquity());
    }
  };
  const recordBenchmark = (): void => {
    let invested = 0;
    let idle = 0;
    for (let i = 0; i < symbols.length; i += 1) {
      if (benchmarkUnits[i] > 0) invested += benchmarkUnits[i] * lastCloses[symbols[i]];
      else idle += benchmarkShare;
    }
    curve.benchmark.push(invested + idle);
    curve.benchmarkExposure.push(invested);
  };
  const record = (ts: number): void => {
    const last = curve.ts.length - 1;
    // Flat and nothing filled since the last point: the account cannot have changed, so skip valuing it.
    const unchanged = appliedFills === fills.length && curve.grossExposure[last] === 0;
    applyNewFills();
    curve.ts.push(ts);
    if (unchanged) {
      curve.equity.push(curve.equity[last]);
      curve.cash.push(curve.cash[last]);
      curve.grossExposure.push(0);
      curve.netExposure.push(0);
    } else {
      const v = engine.portfolio.valuation();
      curve.equity.push(v.equity);
      curve.cash.push(v.cash);
      curve.grossExposure.push(v.grossExposure);
      curve.netExposure.push(v.netExposure);
    }
    recordBenchmark();
  };

  // The per-bar work around engine.processBarNow is split into synchronous halves, so a bar costs the engine's awaits
  // and no extra async frame of ours.
  const beforeBar = (bar: Bar): void => {
    if (config.signal?.aborted === true) throw config.signal.reason ?? new Error('backtest aborted');
    const index = symbolIndex.get(bar.symbol);
    if (index === undefined || bar.interval !== interval || bar.ts <= lastTs[index]) throw badBar(bar, index);
    lastTs[index] = bar.ts;
    const close = bar.ts + barMs;
    if (close !== groupClose) {
      if (trading) record(groupClose);
      groupClose = close;
      clock.set(close);
    }
    if (!trading && bar.ts >= tradeFrom) {
      trading = true;
      curve.ts.push(bar.ts);
      curve.equity.push(config.initialCapital);
      curve.cash.push(config.initialCapital);
      curve.grossExposure.push(0);
      curve.netExposure.push(0);
      curve.benchmark.push(config.initialCapital);
      curve.benchmarkExposure.push(0);
    }
    if (trading && benchmarkUnits[index] === 0) benchmarkUnits[index] = benchmarkShare / bar.open;
  };
  /** Counts what the bar produced. */
  const afterBar = (bar: Bar, outcome: BarOutcome): void => {
    signals += outcome.signals.length;
    for (const execution of outcome.executions) {
      if (execution.status === 'submitted') {
        ordersSubmitted += 1;
      } else if (execution.status === 'refused') {
        refusals.push({ ts: groupClose, symbol: bar.symbol, code: execution.code, reason: execution.reason });
      }
    }
    lastCloses[bar.symbol] = bar.close;
    barsProcessed += 1;
    if (trading) barsTraded += 1;
    if (barsProcessed % progressEvery === 0) config.onProgress?.(barsProcessed);
  };
  const badBar = (bar: Bar, index: number | undefined): ValidationError =>
    new ValidationError(
      'backtest data',
      [
        {
          field: 'bars',
          message:
            index === undefined
              ? `bar for ${bar.symbol}, which is not one of ${symbols.join(', ')}`
              : bar.interval !== interval
                ? `${bar.symbol} bar of interval ${bar.interval} in a ${interval} backtest`
                : `${bar.symbol} bars must be in strictly increasing time order (${new Date(bar.ts).toISOString()} after ${new Date(lastTs[index]).toISOString()})`,
          value: bar.ts,
        },
      ],
      'DATA_INVALID',
    );

  if (config.feeds.every((f) => Array.isArray(f))) {
    // In memory already: a plain loop, without wrapping every bar in a promise as `for await` would.
    const merged = mergeBarArrays(config.feeds as readonly (readonly Bar[])[]);
    for (let i = 0; i < merged.length; i += 1) {
      const bar = merged[i];
      beforeBar(bar);
      // With the in-memory store and the paper exchange a bar usually completes at once: no await, no microtask turn.
      const outcome = engine.processBarNow(bar);
      afterBar(bar, outcome instanceof Promise ? await outcome : outcome);
      if (yieldEvery > 0 && barsProcessed % yieldEvery === 0) await yieldToEventLoop();
    }
  } else {
    for await (const bar of mergeBarStreams(config.feeds)) {
      beforeBar(bar);
      const outcome = engine.processBarNow(bar);
      afterBar(bar, outcome instanceof Promise ? await outcome : outcome);
      if (yieldEvery > 0 && barsProcessed % yieldEvery === 0) await yieldToEventLoop();
    }
  }
  await engine.stop();
  if (trading) record(groupClose);
  applyNewFills();
  config.onProgress?.(barsProcessed);

  return {
    curve,
    trades: [...ledger.closedTrips(), ...ledger.openTrips(lastCloses)],
    fills,
    barsProcessed,
    barsTraded,
    signals,
    ordersSubmitted,
    refusals,
    venueRejections,
    lastCloses,
    positions: engine.portfolio.positions().filter((p) => p.quantity !== 0),
  };
}
