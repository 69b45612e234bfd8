import { ValidationError, type Bar, type Interval, type Trade } from '@rrr/core';
import type { ExchangeClient } from '@rrr/api-integration';
import { batchItems } from './batch-items';
import {
  defineSource,
  inWindow,
  narrowToWindow,
  type DataSource,
  type SourceBatch,
  type SourceReadOptions,
} from './data-source';

/** The part of api-integration's ExchangeClient the OHLCV source needs. */
export type ExchangeOhlcvClient = Pick<ExchangeClient, 'id' | 'fetchOHLCV'>;
/** The part of api-integration's ExchangeClient the trade source needs. */
export type ExchangeTradesClient = Pick<ExchangeClient, 'id' | 'watchTrades'>;

export interface ExchangeOhlcvSourceOptions {
  client: ExchangeOhlcvClient;
  /** Platform symbol, `BTC-USDT`. */
  symbol: string;
  interval: Interval;
  /** Range [from, to) in epoch ms. */
  from: number;
  to: number;
  /** Candles per request (capped at the venue's maximum by the client). */
  pageLimit?: number;
  /** Bars per batch. Default 1,000. */
  batchSize?: number;
}

export interface ExchangeTradeSourceOptions {
  client: ExchangeTradesClient;
  symbol: string;
  /** Trades per batch. Default 500. */
  batchSize?: number;
  /** A partial batch is released after this long. Default 1,000 ms. */
  maxBatchDelayMs?: number;
}

/** Historical candles of an exchange (through ccxt, paged by the client) as a bar source. */
export function createExchangeOhlcvSource(options: ExchangeOhlcvSourceOptions): DataSource<Bar> {
  if (!Number.isSafeInteger(options.from) || !Number.isSafeInteger(options.to) || options.to <= options.from) {
    throw new ValidationError('exchange OHLCV source', [
      { field: 'to', message: 'must be epoch ms after from', value: options.to },
    ]);
  }
  const describe = () => ({
    id: `exchange:${options.client.id}:${options.symbol}:${options.interval}`,
    name: `exchange:${options.client.id}:${options.symbol}`,
    kind: 'bars' as const,
    symbol: options.symbol,
    interval: options.interval,
    from: options.from,
    to: options.to,
  });

  async function* batches(read?: SourceReadOptions): AsyncGenerator<SourceBatch<Bar>> {
    const { from, to } = narrowToWindow(options.from, options.to, read);
    if (to <= from) return;
    const bars = options.client.fetchOHLCV({
      symbol: options.symbol,
      interval: options.interval,
      from,
      to,
      ...(options.pageLimit === undefined ? {} : { pageLimit: options.pageLimit }),
      ...(read?.signal === undefined ? {} : { signal: read.signal }),
    });
    for await (const items of batchItems(bars, options.batchSize ?? 1_000)) yield { items };
  }

  return defineSource<Bar>('bars', describe, batches);
}

/**
 * Live trades of one exchange market as a trade source (unbounded: it ends when the read's signal aborts or the
 * client closes). Batches are released by size or after `maxBatchDelayMs`, whichever comes first.
 */
export function createExchangeTradeSource(options: ExchangeTradeSourceOptions): DataSource<Trade> {
  const describe = () => ({
    id: `exchange-trades:${options.client.id}:${options.symbol}`,
    name: `exchange:${options.client.id}:${options.symbol}:trades`,
    kind: 'trades' as const,
    symbol: options.symbol,
  });

  async function* batches(read?: SourceReadOptions): AsyncGenerator<SourceBatch<Trade>> {
    const trades = options.client.watchTrades(
      options.symbol,
      read?.signal === undefined ? {} : { signal: read.signal },
    );
    for await (const items of batchItems(trades, options.batchSize ?? 500, options.maxBatchDelayMs ?? 1_000)) {
      const kept = items.filter((t) => inWindow(t.ts, read));
      if (kept.length > 0) yield { items: kept };
    }
  }

  return defineSource<Trade>('trades', describe, batches);
}
