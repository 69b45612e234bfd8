import { ValidationError, toIso, type Bar, type Fill } from '@rrr/core';
import { resolveRiskLimits } from '@rrr/risk-management';
import { allowAllPreTradeCheck, fixedFractionSizer, type Predictor } from '@rrr/trading-engine';
import type { BarLoader } from '../data/bar-loader';
import {
  runEventBacktest,
  type EquityCurve,
  type EventBacktestResult,
  type OrderRefusal,
} from '../engine/event-backtest';
import { feeScheduleFor } from '../engine/execution-models';
import type { RoundTrip } from '../engine/round-trip-ledger';
import { computePerformanceMetrics, type PerformanceMetrics } from '../metrics/performance-metrics';
import { periodsPerYearFor } from '../metrics/periods-per-year';
import { resolveStrategy, type StrategyParameters } from '../strategies/strategy-catalog';
import type { ResolvedBacktestRequest } from './backtest-request';

/**
 * The settings of a run as plain data (what is stored with it, exported, and sent to sweep workers): a resolved
 * request with the strategy reduced to its name and parameters.
 */
export interface BacktestSettings extends Omit<ResolvedBacktestRequest, 'strategy' | 'periodsPerYear' | 'name'> {
  strategy: string;
  parameters: StrategyParameters;
  periodsPerYear: number;
}

export function settingsOf(resolved: ResolvedBacktestRequest): BacktestSettings {
  return {
    strategy: resolved.strategy.definition.name,
    parameters: { ...resolved.strategy.parameters },
    symbols: [...resolved.symbols],
    interval: resolved.interval,
    from: resolved.from,
    to: resolved.to,
    initialCapital: resolved.initialCapital,
    commissionRate: resolved.commissionRate,
    slippage: resolved.slippage,
    fillTiming: resolved.fillTiming,
    allowShort: resolved.allowShort,
    positionFraction: resolved.positionFraction,
    riskLimits: resolved.riskLimits,
    stops: resolved.stops,
    barVolumeShare: resolved.barVolumeShare,
    warmup: resolved.warmup,
    riskFreeRate: resolved.riskFreeRate,
    periodsPerYear: periodsPerYearFor(resolved.interval, resolved.periodsPerYear),
  };
}

/** Bars of each symbol for a run: the range itself, and the history just before it used to warm up. */
export interface BacktestBars {
  range: Record<string, Bar[]>;
  warmup: Record<string, Bar[]>;
}

/**
 * Reads the bars of a (coverage-checked) request. A symbol without a single bar inside the range — a hole in the
 * data — is a ValidationError naming `from`, raised before anything runs.
 */
export async function loadBacktestBars(
  settings: Pick<BacktestSettings, 'symbols' | 'interval' | 'from' | 'to' | 'warmup'>,
  loader: BarLoader,
  warmupBars: number,
): Promise<BacktestBars> {
  const range: Record<string, Bar[]> = {};
  const warmup: Record<string, Bar[]> = {};
  for (const symbol of settings.symbols) {
    range[symbol] = await loader.load(symbol, settings.interval, settings.from, settings.to);
    if (range[symbol].length === 0) {
      throw new ValidationError('backtest request', [
        {
          field: 'from',
          message: `no ${settings.interval} bars of ${symbol} between ${toIso(settings.from)} and ${toIso(settings.to)}`,
          value: toIso(settings.from),
        },
      ]);
    }
    warmup[symbol] =
      settings.warmup === 'history' ? await loader.before(symbol, settings.interval, settings.from, warmupBars) : [];
  }
  return { range, warmup };
}

/** What a simulation produced: the engine's record and both metric sets. */
export interface SimulationOutcome {
  metrics: PerformanceMetrics;
  benchmark: PerformanceMetrics;
  curve: EquityCurve;
  trades: RoundTrip[];
  fills: Fill[];
  activity: {
    barsProcessed: number;
    barsTraded: number;
    signals: number;
    ordersSubmitted: number;
    refused: number;
    venueRejected: number;
  };
  /** The first 100 orders that were refused or rejected, with why. */
  refusals: OrderRefusal[];
  /** The strategy instance's id, e.g. `sma-cross(20,50)`. */
  strategyId: string;
}

export interface SimulateOptions {
  /** Trade from here; earlier bars of `bars.warmup` (and of the range before it) only warm the strategy up. */
  tradeFrom?: number;
  predict?: Predictor;
  onBars?: (processed: number) => void;
  /** Hand the event loop back every this many bars (see EventBacktestConfig.yieldEvery). */
  yieldEvery?: number;
  signal?: AbortSignal;
}

/**
 * One backtest of `settings` over the given bars, through the event-driven engine, with metrics for the strategy and
 * for buy-and-hold of the same symbols. Pure with respect to the outside: no storage, no loading.
 */
export async function simulateBacktest(
  settings: BacktestSettings,
  bars: BacktestBars,
  options: SimulateOptions = {},
): Promise<SimulationOutcome> {
  const { resolved, problems } = resolveStrategy(settings.strategy, settings.parameters, { predict: options.predict });
  if (resolved === undefined) throw new ValidationError('backtest settings', problems);
  const strategy = resolved.definition.create(resolved.parameters, {
    symbols: settings.symbols,
    allowShort: settings.allowShort,
    ...(options.predict === undefined ? {} : { predict: options.predict }),
  });
  const feeds = settings.symbols.map((s) => [...(bars.warmup[s] ?? []), ...(bars.range[s] ?? [])]);
  const firstInRange = Math.min(...settings.symbols.map((s) => bars.range[s]?.[0]?.ts ?? Number.POSITIVE_INFINITY));
  const tradeFrom = options.tradeFrom ?? firstInRange;
  const hasHistory = feeds.some((f) => f.length > 0 && f[0].ts < tradeFrom);
  const run: EventBacktestResult = await runEventBacktest({
    symbols: settings.symbols,
    interval: settings.interval,
    feeds,
    strategies: [strategy],
    initialCapital: settings.initialCapital,
    fees: feeScheduleFor(settings.commissionRate),
    slippage: settings.slippage,
    fillTiming: settings.fillTiming,
    allowShort: settings.allowShort,
    sizer: fixedFractionSizer({ fraction: settings.positionFraction, maxFraction: settings.positionFraction }),
    ...(settings.riskLimits === null
      ? { risk: allowAllPreTradeCheck }
      : { riskLimits: resolveRiskLimits(settings.riskLimits) }),
    ...(settings.stops === null ? {} : { stops: settings.stops }),
    barVolumeShare: settings.barVolumeShare,
    ...(hasHistory ? { tradeFrom } : {}),
    ...(options.onBars === undefined ? {} : { onProgress: options.onBars }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.yieldEvery === undefined ? {} : { yieldEvery: options.yieldEvery }),
  });
  const metricOptions = { periodsPerYear: settings.periodsPerYear, riskFreeRate: settings.riskFreeRate };
  const closed = run.trades.filter((t) => t.pnl !== null);
  const metrics = computePerformanceMetrics(
    {
      ts: run.curve.ts,
      equity: run.curve.equity,
      grossExposure: run.curve.grossExposure,
      closedTrades: closed.map((t) => ({
        pnl: t.pnl as number,
        returnFraction: t.returnFraction as number,
        entryTs: t.entryTs,
        exitTs: t.exitTs as number,
      })),
      openTrades: run.trades.length - closed.length,
      fills: run.fills.map((f) => ({ notional: f.quantity * f.price, fee: f.fee })),
    },
    metricOptions,
  );
  const benchmark = computePerformanceMetrics(
    {
      ts: run.curve.ts,
      equity: run.curve.benchmark,
      grossExposure: run.curve.benchmarkExposure,
      closedTrades: [],
      openTrades: settings.symbols.length,
      fills: [],
    },
    metricOptions,
  );
  return {
    metrics,
    benchmark,
    curve: run.curve,
    trades: run.trades,
    fills: run.fills,
    activity: {
      barsProcessed: run.barsProcessed,
      barsTraded: run.barsTraded,
      signals: run.signals,
      ordersSubmitted: run.ordersSubmitted,
      refused: run.refusals.length,
      venueRejected: run.venueRejections.length,
    },
    refusals: [...run.refusals, ...run.venueRejections].sort((a, b) => a.ts - b.ts).slice(0, 100),
    strategyId: strategy.id,
  };
}
