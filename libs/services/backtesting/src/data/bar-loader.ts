import { parseIso, type Bar, type Database, type Interval } from '@rrr/core';
import { BUNDLED_DATASETS, BarStore, createBundledSource, isBundledSymbol } from '@rrr/data-pipeline';

/** What a loader holds of one series. */
export interface BarCoverage {
  firstTs: number;
  lastTs: number;
  bars: number;
}

/** Where a backtest's bars come from. Times are bar open times (epoch ms); ranges are [from, to). */
export interface BarLoader {
  readonly name: string;
  /** The series' extent, or undefined when this loader has no bars of it. Cheap: no bars are read. */
  coverage(symbol: string, interval: Interval): Promise<BarCoverage | undefined>;
  /** Bars with from <= ts < to, oldest first. */
  load(symbol: string, interval: Interval, from: number, to: number): Promise<Bar[]>;
  /** Up to `n` bars with ts < before, oldest first (to warm indicators up on history before the range). */
  before(symbol: string, interval: Interval, before: number, n: number): Promise<Bar[]>;
}

/** Bars held in memory (tests, sweeps, and callers that already have them). */
export function memoryBarLoader(bars: readonly Bar[], name = 'memory'): BarLoader {
  const series = new Map<string, Bar[]>();
  for (const bar of bars) {
    const key = `${bar.symbol}|${bar.interval}`;
    let list = series.get(key);
    if (list === undefined) {
      list = [];
      series.set(key, list);
    }
    list.push(bar);
  }
  for (const list of series.values()) list.sort((a, b) => a.ts - b.ts);
  const of = (symbol: string, interval: Interval): Bar[] => series.get(`${symbol}|${interval}`) ?? [];
  return {
    name,
    async coverage(symbol, interval) {
      const list = of(symbol, interval);
      return list.length === 0
        ? undefined
        : { firstTs: list[0].ts, lastTs: list[list.length - 1].ts, bars: list.length };
    },
    async load(symbol, interval, from, to) {
      return of(symbol, interval).filter((b) => b.ts >= from && b.ts < to);
    },
    async before(symbol, interval, before, n) {
      const earlier = of(symbol, interval).filter((b) => b.ts < before);
      return n > 0 ? earlier.slice(-n) : [];
    },
  };
}

/**
 * The datasets shipped in npm packages (data-pipeline's bundled sources: SPX and AAPL, daily), read once per process
 * and kept. Coverage comes from the dataset's description, without reading the file.
 */
export function bundledBarLoader(): BarLoader {
  const cache = new Map<string, Promise<BarLoader>>();
  const series = (symbol: string): Promise<BarLoader> => {
    let loader = cache.get(symbol);
    if (loader === undefined) {
      loader = (async () => {
        const bars: Bar[] = [];
        for await (const bar of createBundledSource(symbol)) bars.push(bar);
        return memoryBarLoader(bars, `bundled:${symbol}`);
      })();
      cache.set(symbol, loader);
    }
    return loader;
  };
  return {
    name: 'bundled',
    async coverage(symbol, interval) {
      if (interval !== '1d' || !isBundledSymbol(symbol)) return undefined;
      const dataset = BUNDLED_DATASETS[symbol];
      return { firstTs: parseIso(dataset.firstDate), lastTs: parseIso(dataset.lastDate), bars: dataset.rows };
    },
    async load(symbol, interval, from, to) {
      return (await series(symbol)).load(symbol, interval, from, to);
    },
    async before(symbol, interval, before, n) {
      return (await series(symbol)).before(symbol, interval, before, n);
    },
  };
}

/** The platform's `bars` table (data-pipeline BarStore): whatever `rrr data import|backfill` stored. */
export function databaseBarLoader(db: Database): BarLoader {
  const store = new BarStore(db);
  return {
    name: 'database',
    async coverage(symbol, interval) {
      const found = (await store.series(symbol)).find((s) => s.interval === interval);
      return found === undefined || found.bars === 0
        ? undefined
        : { firstTs: found.firstTs, lastTs: found.lastTs, bars: found.bars };
    },
    async load(symbol, interval, from, to) {
      const bars: Bar[] = [];
      for await (const batch of store.stream({ symbol, interval, from, to })) bars.push(...batch);
      return bars;
    },
    async before(symbol, interval, before, n) {
      return n > 0 ? store.latest({ symbol, interval, to: before, n }) : [];
    },
  };
}

/** Asks each loader in turn: a series comes entirely from the first loader that has it. */
export function firstLoaderWithData(loaders: readonly BarLoader[]): BarLoader {
  const pick = async (symbol: string, interval: Interval): Promise<BarLoader | undefined> => {
    for (const loader of loaders) if ((await loader.coverage(symbol, interval)) !== undefined) return loader;
    return undefined;
  };
  return {
    name: loaders.map((l) => l.name).join(' > '),
    async coverage(symbol, interval) {
      return (await pick(symbol, interval))?.coverage(symbol, interval);
    },
    async load(symbol, interval, from, to) {
      return (await pick(symbol, interval))?.load(symbol, interval, from, to) ?? [];
    },
    async before(symbol, interval, before, n) {
      return (await pick(symbol, interval))?.before(symbol, interval, before, n) ?? [];
    },
  };
}

/** The default: bars stored in the database when there are any for the series, else the bundled datasets. */
export function defaultBarLoader(db?: Database): BarLoader {
  return firstLoaderWithData(db === undefined ? [bundledBarLoader()] : [databaseBarLoader(db), bundledBarLoader()]);
}
