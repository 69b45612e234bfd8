import { NotFoundError, ValidationError, type Bar, type FieldProblem, type Interval } from '@rrr/core';
import { createBundledSource, isBundledSymbol } from '../sources/bundled-datasets';
import type { DataSource } from '../sources/data-source';
import { createExchangeOhlcvSource, type ExchangeOhlcvClient } from '../sources/exchange-sources';
import { createFileSource, type FileSourceOptions } from '../sources/file-source';
import { createPolygonSource, type PolygonAggregatesClient } from '../sources/polygon-source';
import { createSyntheticSource } from '../sources/synthetic-source';

export const BACKFILL_SOURCE_KINDS = ['synthetic', 'bundled', 'file', 'polygon', 'exchange'] as const;
export type BackfillSourceKind = (typeof BACKFILL_SOURCE_KINDS)[number];

/** What `rrr data backfill --source … --symbol … --from … --to … --interval …` describes. */
export interface BackfillSourceSpec {
  source: BackfillSourceKind;
  symbol: string;
  interval: Interval;
  /** Range [from, to) in epoch ms (required for synthetic, polygon and exchange sources). */
  from?: number;
  to?: number;
  /** synthetic: the seed (default 42, the platform's `data.syntheticSeed` default). */
  seed?: number;
  /** file: the path, and how to read it. */
  path?: string;
  file?: Omit<FileSourceOptions, 'symbol' | 'interval' | 'kind'>;
  /** polygon: the ticker when it is not the symbol (`X:BTCUSD`, `I:SPX`). */
  ticker?: string;
  /** exchange: which configured client (`binance`, `coinbase`). */
  exchange?: string;
}

/** Clients built by the composition root (api-integration), for the vendor sources. */
export interface BackfillSourceClients {
  polygon?: PolygonAggregatesClient;
  exchanges?: Readonly<Record<string, ExchangeOhlcvClient>>;
}

function need(problems: FieldProblem[], spec: BackfillSourceSpec, field: 'from' | 'to' | 'path' | 'exchange'): void {
  if (spec[field] === undefined) problems.push({ field, message: `is required for a ${spec.source} source` });
}

/** Builds the bar source a backfill spec names; vendor sources need their client in `clients`. */
export function createBackfillSource(spec: BackfillSourceSpec, clients: BackfillSourceClients = {}): DataSource<Bar> {
  const problems: FieldProblem[] = [];
  if (!(BACKFILL_SOURCE_KINDS as readonly string[]).includes(spec.source)) {
    problems.push({
      field: 'source',
      message: `must be one of ${BACKFILL_SOURCE_KINDS.join(', ')}`,
      value: spec.source,
    });
    throw new ValidationError('backfill source', problems);
  }
  if (spec.source === 'synthetic' || spec.source === 'polygon' || spec.source === 'exchange') {
    need(problems, spec, 'from');
    need(problems, spec, 'to');
  }
  if (spec.source === 'file') need(problems, spec, 'path');
  if (spec.source === 'exchange') need(problems, spec, 'exchange');
  if (spec.source === 'bundled' && spec.interval !== '1d') {
    problems.push({ field: 'interval', message: 'bundled datasets are daily: use 1d', value: spec.interval });
  }
  if (problems.length > 0) throw new ValidationError(`${spec.source} backfill source`, problems);
  const from = spec.from as number;
  const to = spec.to as number;

  switch (spec.source) {
    case 'synthetic':
      return createSyntheticSource({ symbol: spec.symbol, interval: spec.interval, seed: spec.seed ?? 42, from, to });
    case 'bundled':
      if (!isBundledSymbol(spec.symbol)) throw new NotFoundError('bundled dataset', spec.symbol);
      return createBundledSource(spec.symbol);
    case 'file':
      return createFileSource(spec.path as string, {
        ...spec.file,
        kind: 'bars',
        symbol: spec.symbol,
        interval: spec.interval,
      });
    case 'polygon':
      if (clients.polygon === undefined) throw new NotFoundError('polygon client (set POLYGON_API_KEY)', 'polygon');
      return createPolygonSource({
        client: clients.polygon,
        ticker: spec.ticker ?? spec.symbol,
        symbol: spec.symbol,
        interval: spec.interval,
        from,
        to,
      });
    case 'exchange': {
      const client = clients.exchanges?.[spec.exchange as string];
      if (client === undefined) throw new NotFoundError('exchange client', spec.exchange as string);
      return createExchangeOhlcvSource({ client, symbol: spec.symbol, interval: spec.interval, from, to });
    }
  }
}
