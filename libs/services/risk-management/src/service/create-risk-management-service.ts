import {
  RrrError,
  systemClock,
  ValidationError,
  type BusSubscription,
  type Clock,
  type Database,
  type EventBus,
  type HealthReport,
  type PlatformTopics,
  type RrrLogger,
  type Service,
} from '@rrr/core';
import { KillSwitch, type KillSwitchAction, type KillSwitchStatus } from '../kill-switch';
import { LossCircuitBreaker, type CircuitBreakerState } from '../loss-circuit-breaker';
import { measurePeriodLosses } from '../period-losses';
import { PreTradeRiskEngine } from '../pre-trade-risk-engine';
import type { RiskAlert } from '../risk-alert';
import { RiskAlertManager } from '../risk-alert-manager';
import type { RiskControlEvent } from '../risk-control-event';
import { resolveRiskLimits, type RiskLimits } from '../risk-limits';
import { parseUtcTimeOfDay, riskDayStart } from '../risk-period';
import type { RiskOpenOrder, RiskPosition } from '../risk-snapshot';
import { equityValueAtRisk, type EquityVar, type EquityVarRequest } from './equity-value-at-risk';
import { measureRiskUsage, type RiskUsage } from './measure-risk-usage';
import { KillSwitchJournal } from './kill-switch-journal';
import { RiskAlertLog } from './risk-alert-log';
import { RiskBook } from './risk-book';

export interface RiskManagementServiceDeps {
  /** Alerts are kept in `risk_events`; the book is restored from `positions` and `portfolio_snapshots` on start. */
  db: Database;
  bus: EventBus<PlatformTopics>;
  clock?: Clock;
  logger?: Pick<RrrLogger, 'info' | 'warn' | 'error'>;
}

export interface RiskManagementServiceConfig {
  /** Overrides of the legacy limits; `config.risk` fits as is. */
  limits?: Partial<RiskLimits>;
  /** The tradable universe: orders for any other symbol are ORDER_INVALID (`config.data.symbols` fits). */
  symbols: readonly string[];
  /** Cash the account started with (paper.initialCash, or trading.capital on a real venue): equity = it + P&L − fees. */
  initialCash: number;
  /** Least time between two points of the equity history that loss periods and VaR are measured on; default 60 s. */
  equitySampleMs?: number;
  /** Equity history read back on start; default 31 days (the monthly loss limit looks back that far). */
  historyDays?: number;
  /** Prefix of alert ids; default `risk`. */
  alertIdPrefix?: string;
}

/** What the kill switch needs of the trading engine; the platform attaches one (risk never imports the engine). */
export interface KillSwitchExecutor {
  /** Positions and working orders as the OMS holds them now. */
  book(): { positions: readonly RiskPosition[]; openOrders: readonly RiskOpenOrder[] };
  /** Carries out the switch's cancels and flattening orders, in order; failures of single actions are reported. */
  execute(actions: readonly KillSwitchAction[]): Promise<{ done: number; failed: string[] }>;
}

export interface KillSwitchRequest {
  reason: string;
  /** Also close every position with reduce-only market orders. */
  flatten?: boolean;
  /** Who engaged it (an API key's name). */
  by: string;
}

export interface KillSwitchOutcome {
  killSwitch: KillSwitchStatus;
  /** Working orders the switch asked the engine to cancel. */
  cancels: number;
  /** Reduce-only market orders it submitted to flatten the book. */
  flattenOrders: number;
  /** Actions the engine carried out; `failed` names the others. */
  done: number;
  failed: string[];
  actions: KillSwitchAction[];
}

export interface CircuitBreakerView {
  state: CircuitBreakerState;
  /** Why trading is halted; absent while armed. */
  reason?: string;
  rule?: string;
  /** When it halted. */
  since?: number;
  /** When a daily halt lifts by itself; null when a manual resume is needed. */
  resetAt?: number | null;
  value?: number;
  limit?: number;
  killSwitch: KillSwitchStatus;
}

export interface RiskManagementService extends Service {
  readonly limits: Readonly<RiskLimits>;
  /** The pre-trade check the trading engine runs every order through (kill switch and breaker included). */
  readonly preTradeCheck: PreTradeRiskEngine;
  usage(): RiskUsage;
  valueAtRisk(request: Partial<EquityVarRequest>): EquityVar;
  /** Recent alerts, newest first. */
  alerts(limit: number): Promise<RiskAlert[]>;
  circuitBreaker(): CircuitBreakerView;
  /** Manual resume of a halted breaker; CONFLICT when it is armed or the loss is still at its limit. */
  resume(by: string, note?: string): Promise<CircuitBreakerView>;
  /** Blocks new exposure, cancels every working order and, when asked, flattens every position. */
  engageKillSwitch(request: KillSwitchRequest): Promise<KillSwitchOutcome>;
  releaseKillSwitch(by: string, note?: string): Promise<KillSwitchStatus>;
  /** Connects the engine that carries out the kill switch; returns the detach function. */
  attachKillSwitchExecutor(executor: KillSwitchExecutor): () => void;
  /** Measures the book now (breaker, alerts) and resolves once its alerts are published. */
  evaluate(): Promise<void>;
}

/**
 * Risk management as a platform service. It owns the pre-trade engine (limits from config), the loss circuit
 * breaker and the kill switch, and watches the account between orders: `position` events and `bar` marks keep a
 * book whose equity feeds the breaker, the alerts (legacy levels: warning from the daily-loss warn level or the
 * limit, CRITICAL above criticalMultiplier × limit, cooldown per rule + symbol) and VaR/CVaR over the sampled equity
 * history. Every alert, breaker and kill-switch transition goes to `risk_events` and out on `risk.alert`.
 */
export function createRiskManagementService(
  deps: RiskManagementServiceDeps,
  config: RiskManagementServiceConfig,
): RiskManagementService {
  const limits = Object.freeze(resolveRiskLimits(config.limits));
  if (!Array.isArray(config.symbols) || config.symbols.length === 0) {
    throw new ValidationError('risk management service config', [
      { field: 'symbols', message: 'must list at least one symbol', value: config.symbols },
    ]);
  }
  const clock = deps.clock ?? systemClock;
  const log = new RiskAlertLog(deps.db);
  const killSwitchJournal = new KillSwitchJournal(deps.db);
  const book = new RiskBook({ initialCash: config.initialCash, sampleEveryMs: config.equitySampleMs });
  const dayOffsetMs = parseUtcTimeOfDay(limits.circuitBreakerResetUtc);

  // Alerts, control events and evaluations run one at a time, in order: the bus handlers only queue them.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (what: string, work: () => Promise<void>): Promise<void> => {
    const run = queue.then(work).catch((error: unknown) => {
      deps.logger?.error({ err: error }, `risk management: ${what} failed`);
    });
    queue = run;
    return run;
  };
  /** Resolves once nothing is queued any more, follow-ups that queued work included. */
  const settle = async (): Promise<void> => {
    let current: Promise<void>;
    do {
      current = queue;
      await current;
    } while (current !== queue);
  };

  const alertManager = new RiskAlertManager({
    clock,
    limits,
    idPrefix: config.alertIdPrefix ?? 'risk',
    publish: async (_topic, alert) => {
      // Stored first, so an alert someone heard of can always be read back.
      await log.append(alert);
      await deps.bus.publish('risk.alert', alert);
    },
  });
  const onControlEvent = (event: RiskControlEvent): void => {
    // The daily-loss measurement already raises the warning (with its cooldown); a second alert would repeat it.
    if (event.type === 'circuit-breaker.warning') return;
    deps.logger?.warn({ event: event.type, rule: event.rule, value: event.value, limit: event.limit }, event.message);
    void enqueue(event.type, async () => {
      await alertManager.raiseControlEvent(event);
    });
  };
  const breaker = new LossCircuitBreaker(limits, { clock, onEvent: onControlEvent });
  const killSwitch = new KillSwitch({ clock, onEvent: onControlEvent });
  const preTradeCheck = new PreTradeRiskEngine({ limits, knownSymbols: config.symbols, breaker, killSwitch });

  let executor: KillSwitchExecutor | undefined;
  let subscriptions: BusSubscription[] = [];
  let started = false;
  let var95: number | null = null;
  let lastEvaluation: { ts: number; equity: number } | null = null;
  let resetTimer: { at: number; handle: ReturnType<typeof setTimeout> } | undefined;

  const losses = (now: number) => measurePeriodLosses(book.equityHistory(), book.equity(), now, dayOffsetMs);

  const usage = (): RiskUsage => {
    const now = clock.now();
    return measureRiskUsage(
      {
        now,
        equity: book.equity(),
        peakEquity: book.peakEquity(),
        positions: book.openPositions(),
        marks: book.marks(),
        losses: losses(now),
        var95,
      },
      limits,
    );
  };

  /** A daily halt lifts at the next reset time even when no market data arrives: a timer asks the breaker then. */
  const scheduleReset = (): void => {
    const trip = breaker.status().trip;
    const at = trip?.resetsAt ?? null;
    if (resetTimer !== undefined && resetTimer.at !== at) {
      clearTimeout(resetTimer.handle);
      resetTimer = undefined;
    }
    if (at === null || resetTimer !== undefined || !started) return;
    const handle = setTimeout(
      () => {
        resetTimer = undefined;
        void enqueue('the daily reset', async () => {
          await evaluateNow();
        });
      },
      Math.max(0, at - clock.now()),
    );
    handle.unref?.();
    resetTimer = { at, handle };
  };

  const evaluateNow = async (): Promise<void> => {
    const now = clock.now();
    const dayStart = riskDayStart(now, dayOffsetMs);
    if (lastEvaluation !== null && lastEvaluation.ts < dayStart) {
      // Equity only moves on events, each evaluated at once: the day opened at the equity last evaluated. Without
      // this point a quiet night would measure the new day's loss from yesterday's start.
      book.recordPoint({ ts: dayStart, equity: lastEvaluation.equity });
    }
    if (book.record(now) !== undefined) {
      const estimate = equityValueAtRisk(book.equityHistory(), book.equity(), {
        confidence: 0.95,
        method: 'historical',
      });
      var95 = estimate.var;
    }
    breaker.observe({ equity: book.equity(), equityHistory: book.equityHistory() });
    scheduleReset();
    lastEvaluation = { ts: now, equity: book.equity() };
    for (const item of usage().items) {
      await alertManager.raise({
        rule: item.rule,
        value: item.value,
        limit: item.limit,
        ...(item.warnAt === undefined ? {} : { warnAt: item.warnAt }),
        ...(item.symbol === undefined ? {} : { symbol: item.symbol }),
      });
    }
    await alertManager.flush();
  };

  const evaluate = async (): Promise<void> => {
    await enqueue('evaluating the book', evaluateNow);
    await settle();
  };

  const circuitBreaker = (): CircuitBreakerView => {
    const halt = breaker.haltStatus();
    const trip = breaker.status().trip;
    const view: CircuitBreakerView = { state: breaker.status().state, killSwitch: killSwitch.status() };
    if (halt.halted && trip !== null) {
      Object.assign(view, {
        reason: halt.reason,
        rule: trip.rule,
        since: trip.at,
        resetAt: trip.resetsAt,
        value: trip.value,
        limit: trip.limit,
      });
    }
    return view;
  };

  async function restore(): Promise<void> {
    const since = clock.now() - (config.historyDays ?? 31) * 86_400_000;
    const [positions, history, killSwitchState] = await Promise.all([
      deps.db.query<{
        symbol: string;
        quantity: number;
        average_entry_price: number;
        realized_pnl: number;
        fees_paid: number;
        mark_price: number | null;
      }>('SELECT symbol, quantity, average_entry_price, realized_pnl, fees_paid, mark_price FROM positions'),
      deps.db.query<{ ts: number; equity: number }>(
        'SELECT ts, equity FROM portfolio_snapshots WHERE ts >= ? ORDER BY ts, id',
        [since],
      ),
      killSwitchJournal.latest(),
    ]);
    if (killSwitchState !== null) killSwitch.restore(killSwitchState);
    book.restore({
      positions: positions.map((p) => ({
        symbol: p.symbol,
        quantity: p.quantity,
        averagePrice: p.average_entry_price,
        realizedPnl: p.realized_pnl,
        feesPaid: p.fees_paid,
        markPrice: p.mark_price,
      })),
      equityHistory: history.map((h) => ({ ts: h.ts, equity: h.equity })),
    });
  }

  return {
    limits,
    preTradeCheck,

    async start() {
      if (started) return;
      await restore();
      subscriptions = [
        await deps.bus.subscribe('position', (position) => {
          book.applyPosition(position as typeof position & { feesPaid?: number });
          void evaluate();
        }),
        await deps.bus.subscribe('bar', (bar) => {
          const held = book.holds(bar.symbol);
          book.mark(bar.symbol, bar.close);
          // Marks of symbols not held move no equity: nothing to re-measure.
          if (held) void evaluate();
        }),
      ];
      started = true;
      await evaluate();
    },

    async stop() {
      started = false;
      const current = subscriptions;
      subscriptions = [];
      await Promise.all(current.map((s) => s.unsubscribe()));
      if (resetTimer !== undefined) clearTimeout(resetTimer.handle);
      resetTimer = undefined;
      await settle();
    },

    health(): HealthReport {
      const view = circuitBreaker();
      const details = {
        circuitBreaker: view.state,
        killSwitch: view.killSwitch.engaged ? 'engaged' : 'released',
        equity: book.equity(),
        lastEvaluatedAt: lastEvaluation?.ts ?? null,
        executorAttached: executor !== undefined,
      };
      if (!started) return { status: 'down', details };
      // Halted trading is the service doing its job, but an operator should see it on /health.
      return { status: view.state === 'halted' || view.killSwitch.engaged ? 'degraded' : 'up', details };
    },

    usage,

    valueAtRisk(request) {
      return equityValueAtRisk(book.equityHistory(), book.equity(), {
        confidence: request.confidence ?? 0.95,
        method: request.method ?? 'historical',
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        ...(request.scenarios === undefined ? {} : { scenarios: request.scenarios }),
      });
    },

    alerts: (limit) => log.recent(limit),

    circuitBreaker,

    async resume(by, note) {
      // Measured first: the breaker refuses a resume against a loss it last saw at the limit.
      await evaluate();
      breaker.resume(by, note);
      await settle();
      return circuitBreaker();
    },

    async engageKillSwitch(request) {
      if (executor === undefined) {
        throw new RrrError(
          'SERVICE_UNAVAILABLE',
          'the kill switch needs the trading engine, which does not run in this process',
          { details: { service: 'trading-engine' } },
        );
      }
      const current = executor.book();
      const actions = killSwitch.engage({
        flatten: request.flatten === true,
        reason: request.reason,
        by: request.by,
        positions: current.positions,
        openOrders: current.openOrders,
      });
      // Recorded before the orders go out: a crash mid-way restarts with the switch still engaged.
      await killSwitchJournal.record(clock.now(), killSwitch.status());
      const result = await executor.execute(actions);
      await settle();
      const cancels = actions.filter((a) => a.kind === 'cancel-order').length;
      return {
        killSwitch: killSwitch.status(),
        cancels,
        flattenOrders: actions.length - cancels,
        done: result.done,
        failed: result.failed,
        actions,
      };
    },

    async releaseKillSwitch(by, note) {
      const status = killSwitch.release(by, note);
      await killSwitchJournal.record(clock.now(), status);
      await settle();
      return status;
    },

    attachKillSwitchExecutor(next) {
      executor = next;
      return () => {
        if (executor === next) executor = undefined;
      };
    },

    evaluate,
  };
}
