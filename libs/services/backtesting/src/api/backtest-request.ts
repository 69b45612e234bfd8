import {
  ConfigError,
  INTERVALS,
  ValidationError,
  intervalMs,
  isInterval,
  isValidSymbol,
  parseIso,
  splitSymbol,
  toIso,
  type Database,
  type FieldProblem,
  type Interval,
  type PlatformConfig,
} from '@rrr/core';
import { resolveRiskLimits, type RiskLimits } from '@rrr/risk-management';
import type { Predictor, ProtectiveStopOptions } from '@rrr/trading-engine';
import type { BarLoader } from '../data/bar-loader';
import { FILL_TIMINGS, slippageSpecProblems, type FillTiming, type SlippageSpec } from '../engine/execution-models';
import { resolveStrategy, type ResolvedStrategy } from '../strategies/strategy-catalog';

/** What `rrr backtest` asks for. Only `strategy` and `symbols` are required. */
export interface BacktestRequest {
  /** `sma-cross`, `bollinger`, `buy-and-hold` or `predictor` (BACKTEST_STRATEGIES). */
  strategy: string;
  /** One symbol, several, or a comma-separated list (`SPX,AAPL`). */
  symbols: string | readonly string[];
  /** Default `1d`. */
  interval?: Interval;
  /** First bar open time included: ISO date (00:00 UTC), ISO date-time, or epoch ms. Default: where the data starts. */
  from?: string | number;
  /**
   * Last bar open time included: an ISO date includes every bar opening that day, a date-time or epoch ms is the
   * last instant included. Default: where the data ends.
   */
  to?: string | number;
  /** Strategy parameters, typed or as strings (`{ fast: '20' }` from `--param fast=20`). */
  params?: Readonly<Record<string, unknown>>;
  /** Default `config.backtest.initialCapital` (100,000). */
  initialCapital?: number;
  /** Fee per fill as a fraction of notional; default `config.backtest.commissionRate` (0.001). */
  commissionRate?: number;
  /** A slippage model, or a number of basis points for the fixed model; default `config.backtest.slippageBps` (5). */
  slippage?: SlippageSpec | number;
  /** Default 'next-open'. */
  fillTiming?: FillTiming;
  /** Let strategies sell short; default false. */
  allowShort?: boolean;
  /** Equity per position, a fraction; default 0.2 (the legacy maximum position). */
  positionFraction?: number;
  /** Pre-trade risk: true (default) = the platform's limits, an object = overrides of them, false = none. */
  risk?: boolean | Partial<RiskLimits>;
  /** Bracket entries with a stop-loss and take-profit: true = legacy 2 % and 3:1, or the options; default none. */
  stops?: boolean | ProtectiveStopOptions;
  /** Share of a bar's volume fills may take, null for uncapped; default 0.1. */
  barVolumeShare?: number | null;
  /**
   * 'history' (default): warm indicators up on the bars just before `from` when the data has them, so the strategy
   * can trade from the first bar of the range; 'in-range': warm up inside the range (as if the data began at `from`).
   */
  warmup?: 'history' | 'in-range';
  /** Annual risk-free rate for Sharpe, Sortino and Omega; default 0. */
  riskFreeRate?: number;
  /** Override of the annualisation factor (DEFAULT_PERIODS_PER_YEAR). */
  periodsPerYear?: number;
  /** Stored with the run. */
  name?: string;
}

/** What runBacktest is given besides the request. */
export interface BacktestDeps {
  /** Where bars are read from when stored there, and where runs are saved (backtest_runs, backtest_trades). */
  db?: Database;
  /** Where bars come from; default: the database's bars when it has the series, else the bundled datasets. */
  loader?: BarLoader;
  /** `config.backtest`: the defaults for capital, commission and slippage. */
  config?: Partial<PlatformConfig['backtest']>;
  /** `config.risk`: the platform's risk limits (default: the legacy ones). */
  riskLimits?: Partial<RiskLimits>;
  /** The model behind the `predictor` strategy. */
  predict?: Predictor;
  /** Stamps the stored run (default: the system clock). */
  now?: () => number;
  /** Id of the run (default: a random UUID). */
  newId?: () => string;
  signal?: AbortSignal;
  /** Hand the event loop back every this many replayed bars (a server's job runner); default never. */
  yieldEvery?: number;
  /**
   * The run is already stored as `queued` under the id `newId` gives (the backtesting service stores a job as it is
   * submitted): it is moved to running rather than inserted, and ConflictError is thrown, with nothing written, when
   * it is no longer queued (cancelled, or taken over by another process). Default false.
   */
  storedQueued?: boolean;
}

/** A request with every default applied and every value checked and typed. */
export interface ResolvedBacktestRequest {
  strategy: ResolvedStrategy;
  symbols: string[];
  interval: Interval;
  /** Range of bar open times, [from, to). */
  from: number;
  to: number;
  initialCapital: number;
  commissionRate: number;
  slippage: SlippageSpec;
  fillTiming: FillTiming;
  allowShort: boolean;
  positionFraction: number;
  /** null: no pre-trade risk. */
  riskLimits: RiskLimits | null;
  stops: ProtectiveStopOptions | null;
  barVolumeShare: number | null;
  warmup: 'history' | 'in-range';
  riskFreeRate: number;
  periodsPerYear: number | undefined;
  name: string | null;
}

const DAY = 86_400_000;
const DEFAULT_BACKTEST = { initialCapital: 100_000, commissionRate: 0.001, slippageBps: 5 };

function readTime(
  value: unknown,
  field: 'from' | 'to',
  problems: FieldProblem[],
): { ts: number; dateOnly: boolean } | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { ts: value, dateOnly: false };
  if (typeof value === 'string') {
    const ts = parseIso(value);
    if (Number.isFinite(ts)) return { ts, dateOnly: /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) };
  }
  problems.push({ field, message: 'must be an ISO date (2020-04-17), date-time or epoch milliseconds', value });
  return undefined;
}

function symbolList(input: unknown, problems: FieldProblem[]): string[] {
  const raw = typeof input === 'string' ? input.split(',') : Array.isArray(input) ? input : undefined;
  if (raw === undefined) {
    problems.push({ field: 'symbols', message: 'must be a symbol or a list of symbols', value: input });
    return [];
  }
  const symbols = raw.map((s) => (typeof s === 'string' ? s.trim() : s)).filter((s) => s !== '');
  if (symbols.length === 0) problems.push({ field: 'symbols', message: 'must name at least one symbol', value: input });
  const good: string[] = [];
  for (const symbol of symbols) {
    if (!isValidSymbol(symbol)) {
      problems.push({ field: 'symbols', message: 'must be symbols such as SPX, AAPL or BTC-USD', value: symbol });
    } else if (good.includes(symbol)) {
      problems.push({ field: 'symbols', message: `lists ${symbol} twice`, value: symbol });
    } else good.push(symbol);
  }
  const quotes = new Set(good.map((s) => splitSymbol(s).quote));
  if (quotes.size > 1) {
    problems.push({
      field: 'symbols',
      message: `must share one quote currency (got ${[...quotes].join(', ')})`,
      value: good,
    });
  }
  return good;
}

function numberIn(
  problems: FieldProblem[],
  field: string,
  value: unknown,
  fallback: number,
  check: (v: number) => boolean,
  expectation: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    problems.push({ field, message: expectation, value });
    return fallback;
  }
  return value;
}

/**
 * Checks a request completely — every problem at once, each naming its field — and applies the defaults, without
 * reading any bar. Throws ValidationError (VALIDATION_FAILED). Does not look at the data; `checkDataCoverage` does.
 */
export function resolveBacktestRequest(request: BacktestRequest, deps: BacktestDeps = {}): ResolvedBacktestRequest {
  const problems: FieldProblem[] = [];
  const defaults = { ...DEFAULT_BACKTEST, ...deps.config };
  if (request === null || typeof request !== 'object') {
    throw new ValidationError('backtest request', [{ field: '(root)', message: 'must be an object', value: request }]);
  }
  const strategy = resolveStrategy(request.strategy, request.params, { predict: deps.predict });
  problems.push(...strategy.problems);
  const symbols = symbolList(request.symbols, problems);
  const interval = request.interval ?? '1d';
  if (!isInterval(interval)) {
    problems.push({ field: 'interval', message: `must be one of ${INTERVALS.join(', ')}`, value: interval });
  }
  const from = readTime(request.from, 'from', problems);
  const to = readTime(request.to, 'to', problems);
  const toExclusive = to === undefined ? Number.MAX_SAFE_INTEGER : to.ts + (to.dateOnly ? DAY : 1);
  if (from !== undefined && to !== undefined && toExclusive <= from.ts) {
    problems.push({ field: 'to', message: `must not be before from (${toIso(from.ts)})`, value: request.to });
  }
  const initialCapital = numberIn(
    problems,
    'initialCapital',
    request.initialCapital,
    defaults.initialCapital,
    (v) => v > 0,
    'must be an amount > 0',
  );
  const commissionRate = numberIn(
    problems,
    'commissionRate',
    request.commissionRate,
    defaults.commissionRate,
    (v) => v >= 0 && v <= 0.1,
    'must be a fraction of notional in [0, 0.1]',
  );
  let slippage: SlippageSpec = { model: 'fixed', bps: defaults.slippageBps };
  if (typeof request.slippage === 'number') slippage = { model: 'fixed', bps: request.slippage };
  else if (request.slippage !== undefined) slippage = request.slippage;
  problems.push(...slippageSpecProblems(slippage));
  const fillTiming = request.fillTiming ?? 'next-open';
  if (!FILL_TIMINGS.includes(fillTiming)) {
    problems.push({ field: 'fillTiming', message: `must be one of ${FILL_TIMINGS.join(', ')}`, value: fillTiming });
  }
  if (request.allowShort !== undefined && typeof request.allowShort !== 'boolean') {
    problems.push({ field: 'allowShort', message: 'must be true or false', value: request.allowShort });
  }
  const positionFraction = numberIn(
    problems,
    'positionFraction',
    request.positionFraction,
    0.2,
    (v) => v > 0 && v <= 10,
    'must be a fraction of equity in (0, 10]',
  );
  let riskLimits: RiskLimits | null = null;
  if (request.risk !== false) {
    try {
      riskLimits = resolveRiskLimits({ ...deps.riskLimits, ...(typeof request.risk === 'object' ? request.risk : {}) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, field: `risk.${p.field}` })));
    }
    if (riskLimits !== null && positionFraction > riskLimits.maxPositionPct) {
      problems.push({
        field: 'positionFraction',
        message: `exceeds the risk limit maxPositionPct ${riskLimits.maxPositionPct}: every entry would be refused (lower it, raise risk.maxPositionPct or set risk: false)`,
        value: positionFraction,
      });
    }
  }
  let stops: ProtectiveStopOptions | null = null;
  if (request.stops === true) stops = {};
  else if (typeof request.stops === 'object' && request.stops !== null) {
    stops = request.stops;
    const { stopLossPct, rewardRisk } = request.stops;
    if (stopLossPct !== undefined && !(stopLossPct > 0 && stopLossPct < 1)) {
      problems.push({ field: 'stops.stopLossPct', message: 'must be a fraction in (0, 1)', value: stopLossPct });
    }
    if (rewardRisk !== undefined && !(rewardRisk > 0 && Number.isFinite(rewardRisk))) {
      problems.push({ field: 'stops.rewardRisk', message: 'must be a number > 0', value: rewardRisk });
    }
  }
  const barVolumeShare =
    request.barVolumeShare === null
      ? null
      : numberIn(
          problems,
          'barVolumeShare',
          request.barVolumeShare,
          0.1,
          (v) => v > 0 && v <= 1,
          'must be a fraction in (0, 1] or null',
        );
  const warmup = request.warmup ?? 'history';
  if (warmup !== 'history' && warmup !== 'in-range') {
    problems.push({ field: 'warmup', message: 'must be history or in-range', value: warmup });
  }
  const riskFreeRate = numberIn(
    problems,
    'riskFreeRate',
    request.riskFreeRate,
    0,
    (v) => v > -1 && v < 1,
    'must be an annual rate in (-1, 1)',
  );
  const periodsPerYear =
    request.periodsPerYear === undefined
      ? undefined
      : numberIn(problems, 'periodsPerYear', request.periodsPerYear, 252, (v) => v > 0, 'must be a number > 0');
  if (request.name !== undefined && (typeof request.name !== 'string' || request.name.length > 200)) {
    problems.push({ field: 'name', message: 'must be text of at most 200 characters', value: request.name });
  }
  if (problems.length > 0 || strategy.resolved === undefined) throw new ValidationError('backtest request', problems);
  return {
    strategy: strategy.resolved,
    symbols,
    interval,
    from: from?.ts ?? Number.MIN_SAFE_INTEGER,
    to: toExclusive,
    initialCapital,
    commissionRate,
    slippage,
    fillTiming,
    allowShort: request.allowShort === true,
    positionFraction,
    riskLimits,
    stops,
    barVolumeShare,
    warmup,
    riskFreeRate,
    periodsPerYear,
    name: request.name ?? null,
  };
}

/**
 * Checks that every symbol has bars in the requested range, from the loaders' coverage (no bars read), and narrows
 * an open-ended range to the data. A symbol with no data at all names `symbols`; a range outside the data names
 * `from` or `to` and says what the data covers.
 */
export async function checkDataCoverage(
  resolved: ResolvedBacktestRequest,
  loader: BarLoader,
): Promise<ResolvedBacktestRequest> {
  const problems: FieldProblem[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const symbol of resolved.symbols) {
    const coverage = await loader.coverage(symbol, resolved.interval);
    if (coverage === undefined) {
      problems.push({
        field: 'symbols',
        message: `no ${resolved.interval} bars of ${symbol} in ${loader.name} (import or backfill them first)`,
        value: symbol,
      });
      continue;
    }
    const covers = `${symbol} ${resolved.interval} data covers ${toIso(coverage.firstTs).slice(0, 10)} … ${toIso(coverage.lastTs).slice(0, 10)}`;
    if (resolved.from > coverage.lastTs) {
      problems.push({ field: 'from', message: `is after the last bar: ${covers}`, value: toIso(resolved.from) });
    } else if (resolved.to <= coverage.firstTs) {
      problems.push({ field: 'to', message: `is before the first bar: ${covers}`, value: toIso(resolved.to - 1) });
    }
    first = Math.min(first, coverage.firstTs);
    last = Math.max(last, coverage.lastTs);
  }
  if (problems.length > 0) throw new ValidationError('backtest request', problems);
  return {
    ...resolved,
    from: Math.max(resolved.from, first),
    to: Math.min(resolved.to, last + intervalMs(resolved.interval)),
  };
}
