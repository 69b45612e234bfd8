import { z } from 'zod';

/** One bar of `/v2/aggs`: t open time (ms), o/h/l/c prices, v volume, vw VWAP, n trade count. */
export const polygonAggregateSchema = z.object({
  t: z.number().int().positive(),
  o: z.number().positive(),
  h: z.number().positive(),
  l: z.number().positive(),
  c: z.number().positive(),
  v: z.number().nonnegative(),
  vw: z.number().positive().optional(),
  n: z.number().int().nonnegative().optional(),
});

export type PolygonAggregate = z.infer<typeof polygonAggregateSchema>;

/**
 * A page of aggregates. `results` is absent when the window holds no bars; `next_url` is present while more pages
 * follow (it carries a cursor but not the API key). Unknown fields are tolerated: Polygon adds them over time.
 */
export const polygonAggregatesResponseSchema = z
  .object({
    status: z.enum(['OK', 'DELAYED']),
    ticker: z.string().optional(),
    adjusted: z.boolean().optional(),
    queryCount: z.number().int().nonnegative().optional(),
    resultsCount: z.number().int().nonnegative().optional(),
    request_id: z.string().optional(),
    results: z.array(polygonAggregateSchema).optional(),
    next_url: z.string().url().optional(),
  })
  .loose();

export type PolygonAggregatesResponse = z.infer<typeof polygonAggregatesResponseSchema>;
