import {
  Batcher,
  errorMessage,
  ValidationError,
  isValidSymbol,
  systemClock,
  type Bar,
  type Clock,
  type Database,
  type EventBus,
  type HealthReport,
  type Interval,
  type MetricsRegistry,
  type PlatformConfig,
  type PlatformTopics,
  type RrrLogger,
  type Service,
} from '@rrr/core';
import {
  runBackfill,
  type BackfillOptions,
  type BackfillProgress,
  type BackfillResult,
} from '../backfill/run-backfill';
import {
  createBackfillSource,
  type BackfillSourceClients,
  type BackfillSourceSpec,
} from '../commands/create-backfill-source';
import { listSymbols, type SymbolListing } from '../commands/list-symbols';
import {
  qualityReport,
  type SymbolQualityOptions,
  type SymbolQualityReport,
} from '../commands/quality-report-for-symbol';
import { importFile, type ImportFileOptions, type ImportProgress, type ImportResult } from '../ingest/import-file';
import { RollingBarWindows } from '../live/rolling-bar-windows';
import { SyntheticLiveFeed, type FeedTimer } from '../live/synthetic-live-feed';
import { BUNDLED_DATASETS, createBundledSource, isBundledSymbol } from '../sources/bundled-datasets';
import type { DataSource } from '../sources/data-source';
import { BarStore, type BarPage, type BarQuery } from '../storage/bar-store';
import type { QualityReport } from '../validation/quality-report';
import type { ErrorPolicy, ValidationPolicy } from '../validation/validation-policy';

export interface LiveFeedConfig {
  /** Run the synthetic live feed. Default false. */
  enabled?: boolean;
  /** Default: the configured symbols that are pairs (BTC-USD, ETH-USD …). */
  symbols?: readonly string[];
  /** Bars built from the live trades. Default 1m. */
  interval?: Interval;
  /** Default 1,000 ms. */
  tickMs?: number;
  /** Bars kept per series for `latest`. Default 1,000. */
  windowSize?: number;
  /** Store live bars in `bars` too (batched). Default true. */
  persist?: boolean;
  /** Also publish every trade on the bus (`trade`). Default true. */
  publishTrades?: boolean;
  /**
   * Bars of history per symbol generated and stored before the feed goes live, ending where live time starts, so
   * charts and strategies have a past at once. A symbol with stored bars continues from its last close and gets
   * only the bars after it. Stored (when `persist`) and kept for `latest`, not published. Default 0.
   */
  historyBars?: number;
}

/** The platform's `data` config section, plus what only this service reads. */
export interface DataPipelineServiceConfig extends Pick<PlatformConfig['data'], 'symbols' | 'syntheticSeed'> {
  /** Load the bundled SPX / AAPL datasets on start when they are among `symbols`. Default true. */
  loadBundled?: boolean;
  live?: LiveFeedConfig;
  /**
   * Validation policy per source, by source name or its kind prefix (`file`, `bundled`, `synthetic`, `polygon`,
   * `exchange`); a policy passed to a call wins. Default `reject`.
   */
  policies?: Readonly<Record<string, ErrorPolicy | Partial<ValidationPolicy>>>;
}

export interface DataPipelineServiceDeps {
  db: Database;
  bus: EventBus<PlatformTopics>;
  logger?: RrrLogger;
  clock?: Clock;
  /** Paces the live feed; tests inject one they drive. */
  timer?: FeedTimer;
  metrics?: MetricsRegistry;
  /** Vendor clients for polygon / exchange backfills. */
  clients?: BackfillSourceClients;
}

/** The service's domain API, next to the registry's start/stop/health. */
export interface DataPipelineService extends Service {
  importFile(
    path: string,
    options?: ImportFileOptions,
    onProgress?: (p: ImportProgress) => void,
  ): Promise<ImportResult>;
  /** A backfill from a source, or from a CLI-style spec (`{ source: 'synthetic', symbol, interval, from, to }`). */
  runBackfill(
    options: (Omit<BackfillOptions, 'source'> & { source: DataSource<Bar> }) | BackfillSourceSpec,
    onProgress?: (p: BackfillProgress) => void,
  ): Promise<BackfillResult>;
  qualityReport(options: SymbolQualityOptions): Promise<SymbolQualityReport>;
  listSymbols(): Promise<SymbolListing[]>;
  readBars(query: BarQuery & { limit?: number }): Promise<BarPage>;
  streamBars(query: BarQuery, batchSize?: number): AsyncIterable<Bar[]>;
  /** The newest `n` live bars of a symbol (oldest first), from the rolling window. */
  latest(symbol: string, n: number, interval?: Interval): Bar[];
}

function isBackfillSpec(value: unknown): value is BackfillSourceSpec {
  return typeof (value as { source?: unknown }).source === 'string';
}

function sourceKind(name: string): string {
  return name.split(':')[0];
}

/**
 * The data pipeline as a platform service. `start` makes sure the bundled daily data (SPX, AAPL) is stored — a
 * completed load is recognised from its backfill checkpoint and a row count, so restarts cost two queries — and,
 * when enabled, runs the synthetic live feed: its bars are published on the bus (`bar`, and trades on `trade`),
 * kept in a rolling window per symbol for `latest`, and stored in batches.
 */
export function createDataPipelineService(
  deps: DataPipelineServiceDeps,
  config: DataPipelineServiceConfig,
): DataPipelineService {
  const { db, bus } = deps;
  const clock = deps.clock ?? systemClock;
  const log = deps.logger;
  const store = new BarStore(db);
  const live = {
    enabled: false,
    interval: '1m' as Interval,
    tickMs: 1_000,
    windowSize: 1_000,
    persist: true,
    publishTrades: true,
    historyBars: 0,
    ...config.live,
  };
  const liveSymbols = (live.symbols ?? config.symbols.filter((s) => /[-/]/.test(s))).filter((s) => isValidSymbol(s));
  const windows = new RollingBarWindows(live.windowSize);
  const barsStored = deps.metrics?.counter({
    name: 'rrr_data_bars_stored_total',
    help: 'Bars written by the data pipeline',
    labelNames: ['source'],
  });
  const problemsFound = deps.metrics?.counter({
    name: 'rrr_data_problems_total',
    help: 'Data quality problems found',
    labelNames: ['check'],
  });
  const liveBars = deps.metrics?.counter({
    name: 'rrr_data_live_bars_total',
    help: 'Live bars published on the bus',
    labelNames: ['symbol'],
  });

  let started = false;
  let feed: SyntheticLiveFeed | undefined;
  let persister: Batcher<Bar, void> | undefined;
  let lastError: { at: number; message: string } | undefined;
  const bundled: Record<string, { bars: number; status: string }> = {};

  const fail = (context: string) => (error: unknown) => {
    const message = errorMessage(error);
    lastError = { at: clock.now(), message: `${context}: ${message}` };
    log?.error({ err: error }, `data pipeline: ${context}`);
  };

  const policyFor = (name: string) => config.policies?.[name] ?? config.policies?.[sourceKind(name)];

  const count = (source: string, stored: number, report: QualityReport | undefined) => {
    barsStored?.inc({ source: sourceKind(source) }, stored);
    for (const [check, n] of Object.entries(report?.byCheck ?? {})) problemsFound?.inc({ check }, n);
  };

  async function ensureBundled(): Promise<void> {
    for (const symbol of config.symbols.filter(isBundledSymbol)) {
      const dataset = BUNDLED_DATASETS[symbol];
      const source = createBundledSource(symbol);
      const name = source.describe().name;
      const policy = policyFor(name) ?? 'reject';
      const load = (restart: boolean) =>
        runBackfill(db, { source, policy, assetClass: dataset.assetClass, clock, restart });
      let result = await load(false);
      let bars = await store.count({ symbol, interval: '1d' });
      if (result.status === 'already-complete' && bars < dataset.rows) {
        // The checkpoint says done but bars were deleted since: load again.
        result = await load(true);
        bars = await store.count({ symbol, interval: '1d' });
      }
      count(name, result.barsStored, result.report);
      bundled[symbol] = { bars, status: result.status };
      log?.info(
        { symbol, status: result.status, barsStored: result.barsStored, jobId: result.jobId },
        'bundled dataset ready',
      );
    }
  }

  /** The newest stored live bar of each symbol: where a restarted feed continues from. */
  async function lastStoredBars(): Promise<Map<string, Bar>> {
    const last = new Map<string, Bar>();
    if (!live.persist) return last;
    for (const symbol of liveSymbols) {
      const [bar] = await store.latest({ symbol, interval: live.interval, n: 1 });
      if (bar !== undefined) last.set(symbol, bar);
    }
    return last;
  }

  async function storeHistory(history: readonly Bar[]): Promise<void> {
    for (const bar of history) windows.push(bar);
    if (!live.persist || history.length === 0) return;
    await store.upsert(history);
    barsStored?.inc({ source: 'synthetic-history' }, history.length);
    log?.info({ bars: history.length, symbols: liveSymbols, interval: live.interval }, 'synthetic history stored');
  }

  async function startLive(): Promise<void> {
    if (liveSymbols.length === 0)
      throw new ValidationError('data pipeline live feed', [
        { field: 'live.symbols', message: 'no crypto symbols to run the synthetic feed for', value: config.symbols },
      ]);
    if (live.persist) {
      persister = new Batcher<Bar, void>({
        name: 'live-bars',
        maxSize: 500,
        maxDelayMs: 1_000,
        flush: async (bars) => {
          await store.upsert(bars);
          barsStored?.inc({ source: 'synthetic-live' }, bars.length);
          return bars.map(() => undefined);
        },
      });
    }
    feed = new SyntheticLiveFeed({
      symbols: liveSymbols,
      seed: config.syntheticSeed,
      interval: live.interval,
      tickMs: live.tickMs,
      clock,
      timer: deps.timer,
      onBar: async (bar) => {
        windows.push(bar);
        liveBars?.inc({ symbol: bar.symbol });
        persister?.add(bar).catch(fail('storing a live bar'));
        await bus.publish('bar', bar);
      },
      onTrade: live.publishTrades ? (trade) => bus.publish('trade', trade) : undefined,
      onError: fail('publishing live data'),
    });
    await storeHistory(feed.history(live.historyBars, await lastStoredBars()));
    feed.start();
    log?.info({ symbols: liveSymbols, interval: live.interval, tickMs: live.tickMs }, 'synthetic live feed started');
  }

  return {
    async start() {
      if (started) return;
      if (config.loadBundled ?? true) await ensureBundled();
      if (live.enabled) await startLive();
      started = true;
    },

    async stop() {
      feed?.stop();
      feed = undefined;
      await persister?.close();
      persister = undefined;
      started = false;
    },

    health(): HealthReport {
      const details: Record<string, unknown> = { bundled };
      if (feed !== undefined) details['live'] = { symbols: liveSymbols, running: feed.running, ...feed.stats };
      if (lastError !== undefined) details['lastError'] = lastError;
      if (!started) return { status: 'down', details };
      return { status: lastError === undefined ? 'up' : 'degraded', details };
    },

    async importFile(path, options = {}, onProgress) {
      const policy = options.policy ?? policyFor(`file:${path}`);
      const result = await importFile(
        db,
        path,
        { clock, ...options, ...(policy === undefined ? {} : { policy }) },
        onProgress,
      );
      count(result.source, result.barsStored, result.report);
      return result;
    },

    async runBackfill(options, onProgress) {
      const resolved: BackfillOptions = isBackfillSpec(options)
        ? {
            source: createBackfillSource(options, deps.clients),
            symbol: options.symbol,
            interval: options.interval,
            from: options.from,
            to: options.to,
          }
        : options;
      const name = resolved.source.describe().name;
      const policy = resolved.policy ?? policyFor(name);
      const result = await runBackfill(
        db,
        { clock, ...resolved, ...(policy === undefined ? {} : { policy }) },
        onProgress,
      );
      count(name, result.barsStored, result.report);
      return result;
    },

    qualityReport: (options) => qualityReport(db, options),
    listSymbols: () => listSymbols(db),
    readBars: (query) => store.page(query),
    streamBars: (query, batchSize) => store.stream(query, batchSize),
    latest: (symbol, n, interval = live.interval) => windows.latest(symbol, n, interval),
  };
}
