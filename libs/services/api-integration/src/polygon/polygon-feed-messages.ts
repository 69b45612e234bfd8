import { isValidSymbol, type Bar, type Trade } from '@rrr/core';
import { z } from 'zod';

const pair = z.string().refine(isValidSymbol, { message: 'must be a pair such as BTC-USD' });

/** XT: one crypto trade. p price, s size, t time (ms), c conditions (1 sell-side, 2 buy-side aggressor), i id, x exchange. */
export const polygonCryptoTradeSchema = z
  .object({
    ev: z.literal('XT'),
    pair,
    p: z.number().positive(),
    s: z.number().positive(),
    t: z.number().int().positive(),
    c: z.array(z.number().int()).optional(),
    i: z.string().min(1).optional(),
    x: z.number().int().optional(),
  })
  .loose();

/** XA: one crypto minute aggregate. s/e window start/end (ms), vw VWAP, z trade count. */
export const polygonCryptoAggregateSchema = z
  .object({
    ev: z.literal('XA'),
    pair,
    o: z.number().positive(),
    h: z.number().positive(),
    l: z.number().positive(),
    c: z.number().positive(),
    v: z.number().nonnegative(),
    s: z.number().int().positive(),
    e: z.number().int().positive(),
    vw: z.number().positive().optional(),
    z: z.number().int().nonnegative().optional(),
  })
  .loose();

export const polygonStatusSchema = z
  .object({ ev: z.literal('status'), status: z.string(), message: z.string().optional() })
  .loose();

export type PolygonCryptoTradeEvent = z.infer<typeof polygonCryptoTradeSchema>;
export type PolygonCryptoAggregateEvent = z.infer<typeof polygonCryptoAggregateSchema>;

export function polygonTradeToTrade(event: PolygonCryptoTradeEvent): Trade {
  const conditions = event.c ?? [];
  const side = conditions.includes(1) ? 'sell' : conditions.includes(2) ? 'buy' : undefined;
  // Ids are per exchange; prefixing the exchange keeps prints from different venues apart when de-duplicating.
  const id = event.i === undefined ? undefined : event.x === undefined ? event.i : `${event.x}:${event.i}`;
  return {
    symbol: event.pair,
    ts: event.t,
    price: event.p,
    quantity: event.s,
    ...(side === undefined ? {} : { side }),
    ...(id === undefined ? {} : { id }),
  };
}

export function polygonAggregateToBar(event: PolygonCryptoAggregateEvent): Bar {
  return {
    symbol: event.pair,
    interval: '1m',
    ts: event.s,
    open: event.o,
    high: event.h,
    low: event.l,
    close: event.c,
    volume: event.v,
    ...(event.vw === undefined ? {} : { vwap: event.vw }),
    ...(event.z === undefined ? {} : { trades: event.z }),
  };
}
