import { createHash } from 'node:crypto';
import { INTERVAL_MS, ValidationError, toIso, type Bar, type FieldProblem, type Interval, type Trade } from '@rrr/core';
import { defineSource, narrowToWindow, type DataSource, type SourceBatch, type SourceReadOptions } from './data-source';
import { SyntheticMarket, resolveSyntheticMarketOptions, type SyntheticMarketOptions } from './synthetic-market';

export interface SyntheticSourceOptions extends SyntheticMarketOptions {
  interval: Interval;
  /** First bar's open time (epoch ms); rounded up onto the interval grid. The path starts here at `startPrice`. */
  from: number;
  /** End of the range (exclusive). */
  to: number;
  /** Bars per batch. Default 5,000. */
  batchSize?: number;
}

export interface SyntheticTradeSourceOptions extends SyntheticMarketOptions {
  from: number;
  to: number;
  /** Time between trades (ms). Default 1,000. */
  everyMs?: number;
  batchSize?: number;
}

/** Most items one synthetic source may produce: a guard against a range typed in the wrong unit. */
const MAX_ITEMS = 50_000_000;

function checkRange(from: number, to: number, step: number, batchSize: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!Number.isSafeInteger(from) || from < 0)
    problems.push({ field: 'from', message: 'must be epoch ms >= 0', value: from });
  if (!Number.isSafeInteger(to) || to <= from)
    problems.push({ field: 'to', message: 'must be epoch ms > from', value: to });
  else if ((to - from) / step > MAX_ITEMS) {
    problems.push({ field: 'to', message: `the range holds more than ${MAX_ITEMS} items`, value: to });
  }
  if (!Number.isInteger(batchSize) || batchSize < 1)
    problems.push({ field: 'batchSize', message: 'must be an integer >= 1', value: batchSize });
  return problems;
}

/** Digest of the parameters that shape the path, so a source's id changes whenever its data would. */
function parameterDigest(options: SyntheticMarketOptions): string {
  const resolved = resolveSyntheticMarketOptions(options);
  return createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 12);
}

/**
 * Bars of a seeded synthetic market over [from, to). The path always starts at `from`, so a read of a later window
 * (a resumed backfill) replays the path up to it and yields exactly the bars a full read yields there.
 */
export function createSyntheticSource(options: SyntheticSourceOptions): DataSource<Bar> {
  const step = INTERVAL_MS[options.interval];
  const batchSize = options.batchSize ?? 5_000;
  const problems =
    step === undefined
      ? [{ field: 'interval', message: 'must be an interval', value: options.interval }]
      : checkRange(options.from, options.to, step, batchSize);
  if (problems.length > 0) throw new ValidationError(`synthetic source ${options.symbol}`, problems);
  const first = Math.ceil(options.from / step) * step;
  const digest = parameterDigest(options);
  const name = `synthetic:${options.symbol}`;

  const describe = () => ({
    id: `synthetic:${options.symbol}:${options.interval}:seed=${options.seed}:${toIso(first)}..${toIso(options.to)}:${digest}`,
    name,
    kind: 'bars' as const,
    symbol: options.symbol,
    interval: options.interval,
    from: first,
    to: options.to,
    details: { seed: options.seed },
  });

  async function* batches(read?: SourceReadOptions): AsyncGenerator<SourceBatch<Bar>> {
    const market = new SyntheticMarket(options);
    const { from, to } = narrowToWindow(first, options.to, read);
    let items: Bar[] = [];
    for (let ts = first; ts < to; ts += step) {
      const bar = market.nextBar(ts, options.interval);
      if (ts < from) continue;
      items.push(bar);
      if (items.length >= batchSize) {
        read?.signal?.throwIfAborted();
        yield { items };
        items = [];
      }
    }
    if (items.length > 0) yield { items };
  }

  return defineSource<Bar>('bars', describe, batches);
}

/** Trades of a seeded synthetic market, one every `everyMs` over [from, to). */
export function createSyntheticTradeSource(options: SyntheticTradeSourceOptions): DataSource<Trade> {
  const everyMs = options.everyMs ?? 1_000;
  const batchSize = options.batchSize ?? 10_000;
  const problems = checkRange(options.from, options.to, Math.max(1, everyMs), batchSize);
  if (!Number.isInteger(everyMs) || everyMs < 1)
    problems.push({ field: 'everyMs', message: 'must be an integer >= 1', value: everyMs });
  if (problems.length > 0) throw new ValidationError(`synthetic trade source ${options.symbol}`, problems);
  const digest = parameterDigest(options);

  const describe = () => ({
    id: `synthetic-trades:${options.symbol}:every=${everyMs}:seed=${options.seed}:${toIso(options.from)}..${toIso(options.to)}:${digest}`,
    name: `synthetic-trades:${options.symbol}`,
    kind: 'trades' as const,
    symbol: options.symbol,
    from: options.from,
    to: options.to,
    details: { seed: options.seed, everyMs },
  });

  async function* batches(read?: SourceReadOptions): AsyncGenerator<SourceBatch<Trade>> {
    const market = new SyntheticMarket(options);
    const { from, to } = narrowToWindow(options.from, options.to, read);
    let items: Trade[] = [];
    for (let ts = options.from; ts < to; ts += everyMs) {
      const trade = market.nextTrade(ts, everyMs);
      if (ts < from) continue;
      items.push(trade);
      if (items.length >= batchSize) {
        read?.signal?.throwIfAborted();
        yield { items };
        items = [];
      }
    }
    if (items.length > 0) yield { items };
  }

  return defineSource<Trade>('trades', describe, batches);
}
