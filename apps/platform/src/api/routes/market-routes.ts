import { INTERVALS, type Database, type Interval } from '@rrr/core';
import { BarStore } from '@rrr/data-pipeline';
import type { FastifyInstance } from 'fastify';
import {
  errorResponses,
  limitSchema,
  listSchema,
  nullable,
  symbolSchema,
  timeQuerySchema,
  timestampSchema,
} from '../api-schemas';
import { readTimeRange } from '../read-time-range';
import { decodeBarsCursor, encodeBarsCursor } from './bars-cursor';

export interface MarketRoutesDeps {
  db: Database;
}

const BARS_LIMIT = { default: 500, max: 5_000 };
const PREDICTIONS_LIMIT = { default: 100, max: 1_000 };
const SIGNALS_LIMIT = { default: 100, max: 1_000 };

const seriesSchema = {
  type: 'object',
  required: ['symbol', 'intervals'],
  properties: {
    symbol: { type: 'string' },
    intervals: {
      type: 'array',
      items: {
        type: 'object',
        required: ['interval', 'bars', 'firstTs', 'lastTs'],
        properties: {
          interval: { type: 'string', enum: INTERVALS },
          bars: { type: 'integer' },
          firstTs: timestampSchema,
          lastTs: timestampSchema,
        },
      },
    },
  },
} as const;

const barSchema = {
  type: 'object',
  required: ['ts', 'open', 'high', 'low', 'close', 'volume'],
  properties: {
    ts: { ...timestampSchema, description: "the bar's open time, epoch milliseconds UTC" },
    open: { type: 'number' },
    high: { type: 'number' },
    low: { type: 'number' },
    close: { type: 'number' },
    volume: { type: 'number' },
  },
} as const;

const predictionSchema = {
  type: 'object',
  required: ['id', 'ts', 'symbol', 'interval', 'model', 'kind', 'predicted', 'probabilities', 'confidence'],
  properties: {
    id: { type: 'integer' },
    ts: { ...timestampSchema, description: 'when the prediction was made (the close of the bar it read)' },
    symbol: { type: 'string' },
    interval: { type: 'string', description: 'bar interval the model reads' },
    model: { type: 'string', description: 'name@version of the model' },
    kind: { type: 'string', description: 'logistic, mlp, lstm, ensemble…' },
    horizonMs: { ...nullable('integer'), description: 'how far ahead the prediction speaks' },
    predicted: { ...nullable('string'), description: 'down, flat or up' },
    probabilities: {
      anyOf: [
        {
          type: 'object',
          required: ['down', 'flat', 'up'],
          properties: { down: { type: 'number' }, flat: { type: 'number' }, up: { type: 'number' } },
        },
        { type: 'null' },
      ],
    },
    confidence: nullable('number'),
    predictedReturn: nullable('number'),
  },
} as const;

const signalSchema = {
  type: 'object',
  required: ['id', 'ts', 'symbol', 'source', 'direction', 'strength', 'price', 'reason'],
  properties: {
    id: { type: 'integer' },
    ts: timestampSchema,
    symbol: { type: 'string' },
    source: { type: 'string', description: 'the strategy (e.g. sma-cross(20,50)) or model (name@version)' },
    direction: { type: 'string', enum: ['long', 'short', 'flat'] },
    strength: { type: 'number', description: 'conviction in [0, 1]' },
    price: { ...nullable('number'), description: 'the price the signal was computed at' },
    reason: nullable('string'),
  },
} as const;

interface PredictionRow {
  id: number;
  ts: number;
  symbol: string;
  interval: string;
  label: string | null;
  probabilities: string | null;
  predicted_return: number | null;
  confidence: number | null;
  name: string;
  version: number;
  kind: string;
  horizon_ms: number | null;
}

interface SignalRow {
  id: number;
  ts: number;
  symbol: string;
  source: string;
  direction: string;
  strength: number;
  price: number | null;
  reason: string | null;
}

/**
 * Market data: stored series and bars (paged forward by an opaque cursor), model predictions and the persisted
 * trading signals, newest first. Reads the platform database only.
 */
export function registerMarketRoutes(app: FastifyInstance, deps: MarketRoutesDeps): void {
  const bars = new BarStore(deps.db);

  app.get(
    '/api/v1/symbols',
    {
      schema: {
        tags: ['market'],
        summary: 'Symbols with stored bars, and per interval how many and over which time range',
        response: { 200: listSchema(seriesSchema) },
      },
    },
    async () => {
      const bySymbol = new Map<string, { interval: Interval; bars: number; firstTs: number; lastTs: number }[]>();
      for (const series of await bars.series()) {
        const intervals = bySymbol.get(series.symbol) ?? [];
        intervals.push({
          interval: series.interval,
          bars: series.bars,
          firstTs: series.firstTs,
          lastTs: series.lastTs,
        });
        bySymbol.set(series.symbol, intervals);
      }
      return { items: [...bySymbol].map(([symbol, intervals]) => ({ symbol, intervals })) };
    },
  );

  app.get<{
    Querystring: { symbol: string; interval: Interval; from?: string; to?: string; limit: number; cursor?: string };
  }>(
    '/api/v1/bars',
    {
      schema: {
        tags: ['market'],
        summary: 'OHLCV bars of one series in time order, paged forward by nextCursor',
        description:
          'Bars with from <= ts < to (ts is the open time). When more bars follow, nextCursor is set: pass it back ' +
          'as `cursor` with the same symbol and interval to get the next page; it is null on the last page.',
        querystring: {
          type: 'object',
          required: ['symbol'],
          properties: {
            symbol: symbolSchema,
            interval: { type: 'string', enum: INTERVALS, default: '1d' },
            from: { ...timeQuerySchema, description: 'first open time, inclusive: epoch ms or ISO-8601' },
            to: { ...timeQuerySchema, description: 'end, exclusive: epoch ms or ISO-8601' },
            limit: limitSchema(BARS_LIMIT.default, BARS_LIMIT.max),
            cursor: { type: 'string', maxLength: 200, description: 'nextCursor of the previous page' },
          },
        },
        response: {
          200: listSchema(barSchema, {
            nextCursor: { ...nullable('string'), description: 'pass back as cursor for the next page' },
          }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const { symbol, interval, limit, cursor } = request.query;
      const range = readTimeRange(request.query);
      const after = cursor === undefined ? undefined : decodeBarsCursor(cursor, { symbol, interval }).afterTs;
      const from = after === undefined ? range.from : Math.max(after + 1, range.from ?? after + 1);
      // One bar more than asked tells whether another page follows, so the last page never links to an empty one.
      const page = await bars.page({ symbol, interval, from, to: range.to, limit: limit + 1 });
      const items = page.bars.slice(0, limit);
      const more = page.bars.length > limit;
      return {
        items,
        nextCursor: more ? encodeBarsCursor({ symbol, interval, afterTs: items[items.length - 1].ts }) : null,
      };
    },
  );

  app.get<{ Querystring: { symbol?: string; limit: number } }>(
    '/api/v1/predictions',
    {
      schema: {
        tags: ['market'],
        summary: 'Stored model predictions, newest first',
        querystring: {
          type: 'object',
          properties: {
            symbol: symbolSchema,
            limit: limitSchema(PREDICTIONS_LIMIT.default, PREDICTIONS_LIMIT.max),
          },
        },
        response: { 200: listSchema(predictionSchema), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { symbol, limit } = request.query;
      const rows = await deps.db.query<PredictionRow>(
        'SELECT p.id, p.ts, p.symbol, p.interval, p.label, p.probabilities, p.predicted_return, p.confidence, ' +
          'm.name, m.version, m.kind, m.horizon_ms FROM predictions p JOIN ml_models m ON m.id = p.model_id' +
          (symbol === undefined ? '' : ' WHERE p.symbol = ?') +
          ' ORDER BY p.ts DESC, p.id DESC LIMIT ?',
        symbol === undefined ? [limit] : [symbol, limit],
      );
      return {
        items: rows.map((r) => ({
          id: Number(r.id),
          ts: Number(r.ts),
          symbol: r.symbol,
          interval: r.interval,
          model: `${r.name}@${r.version}`,
          kind: r.kind,
          horizonMs: r.horizon_ms === null ? null : Number(r.horizon_ms),
          predicted: r.label,
          probabilities: r.probabilities === null ? null : (JSON.parse(r.probabilities) as Record<string, number>),
          confidence: r.confidence,
          predictedReturn: r.predicted_return,
        })),
      };
    },
  );

  app.get<{ Querystring: { symbol?: string; source?: string; limit: number } }>(
    '/api/v1/signals',
    {
      schema: {
        tags: ['market'],
        summary: 'Trading signals of the strategies and models, newest first',
        querystring: {
          type: 'object',
          properties: {
            symbol: symbolSchema,
            source: { type: 'string', minLength: 1, maxLength: 128, description: 'only this strategy or model' },
            limit: limitSchema(SIGNALS_LIMIT.default, SIGNALS_LIMIT.max),
          },
        },
        response: { 200: listSchema(signalSchema), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { symbol, source, limit } = request.query;
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (symbol !== undefined) {
        where.push('symbol = ?');
        params.push(symbol);
      }
      if (source !== undefined) {
        where.push('source = ?');
        params.push(source);
      }
      const rows = await deps.db.query<SignalRow>(
        'SELECT id, ts, symbol, source, direction, strength, price, reason FROM signals' +
          (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
          ' ORDER BY ts DESC, id DESC LIMIT ?',
        [...params, limit],
      );
      return { items: rows.map((r) => ({ ...r, id: Number(r.id), ts: Number(r.ts) })) };
    },
  );
}
