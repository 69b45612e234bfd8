import { ValidationError, type Bar, type Interval } from '@rrr/core';
import { polygonTickerToSymbol, type PolygonRestClient } from '@rrr/api-integration';
import { batchItems } from './batch-items';
import { defineSource, narrowToWindow, type DataSource, type SourceBatch, type SourceReadOptions } from './data-source';

/** The part of api-integration's PolygonRestClient this source needs. */
export type PolygonAggregatesClient = Pick<PolygonRestClient, 'aggregates'>;

export interface PolygonSourceOptions {
  client: PolygonAggregatesClient;
  /** Polygon's ticker: `AAPL`, `X:BTCUSD`, `I:SPX`. */
  ticker: string;
  /** Platform symbol of the bars; derived from the ticker when omitted (`X:BTCUSD` → `BTC-USD`). */
  symbol?: string;
  interval: Interval;
  /** Range [from, to) in epoch ms. */
  from: number;
  to: number;
  /** Split-adjusted prices. Default true. */
  adjusted?: boolean;
  /** Bars per batch. Default 5,000. */
  batchSize?: number;
}

const RANGES: Readonly<Record<Interval, { multiplier: number; timespan: 'minute' | 'hour' | 'day' }>> = {
  '1m': { multiplier: 1, timespan: 'minute' },
  '5m': { multiplier: 5, timespan: 'minute' },
  '15m': { multiplier: 15, timespan: 'minute' },
  '1h': { multiplier: 1, timespan: 'hour' },
  '4h': { multiplier: 4, timespan: 'hour' },
  '1d': { multiplier: 1, timespan: 'day' },
};

/**
 * Polygon.io aggregates as a bar source, paged by the client (`next_url`, rate limits, retries). Polygon's window
 * is inclusive at both ends, so [from, to) is asked for as [from, to − 1]. Bars keep Polygon's timestamps (its daily
 * bars open at midnight New York time).
 */
export function createPolygonSource(options: PolygonSourceOptions): DataSource<Bar> {
  const range = RANGES[options.interval];
  if (
    range === undefined ||
    !Number.isSafeInteger(options.from) ||
    !Number.isSafeInteger(options.to) ||
    options.to <= options.from
  ) {
    throw new ValidationError('polygon source', [
      {
        field: range === undefined ? 'interval' : 'to',
        message: range === undefined ? 'must be a bar interval' : 'must be epoch ms after from',
        value: range === undefined ? options.interval : options.to,
      },
    ]);
  }
  const symbol = options.symbol ?? polygonTickerToSymbol(options.ticker);
  const describe = () => ({
    id: `polygon:${options.ticker}:${symbol}:${options.interval}:adjusted=${options.adjusted ?? true}`,
    name: `polygon:${options.ticker}`,
    kind: 'bars' as const,
    symbol,
    interval: options.interval,
    from: options.from,
    to: options.to,
  });

  async function* batches(read?: SourceReadOptions): AsyncGenerator<SourceBatch<Bar>> {
    const { from, to } = narrowToWindow(options.from, options.to, read);
    if (to <= from) return;
    const bars = options.client.aggregates({
      ticker: options.ticker,
      ...range,
      from,
      to: to - 1,
      adjusted: options.adjusted ?? true,
      symbol,
      ...(read?.signal === undefined ? {} : { signal: read.signal }),
    });
    for await (const items of batchItems(bars, options.batchSize ?? 5_000)) {
      yield { items: items.filter((bar) => bar.ts >= from && bar.ts < to) };
    }
  }

  return defineSource<Bar>('bars', describe, batches);
}
