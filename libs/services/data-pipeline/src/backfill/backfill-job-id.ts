import { createHash } from 'node:crypto';
import { toIso, type Interval } from '@rrr/core';
import type { SourceDescription } from '../sources/data-source';

/**
 * The id of a backfill job: readable (`synthetic:BTC-USD:1m:2024-01-01T00:00:00.000Z..2024-02-01T00:00:00.000Z`)
 * and ending in a digest of the source's full identity (seed, file fingerprint…), so the same job run again finds its
 * checkpoint, and a job over other data never does.
 */
export function backfillJobId(
  source: Pick<SourceDescription, 'id' | 'name'>,
  symbol: string,
  interval: Interval,
  from: number | undefined,
  to: number | undefined,
): string {
  const range = `${from === undefined ? 'start' : toIso(from)}..${to === undefined ? 'end' : toIso(to)}`;
  const digest = createHash('sha256')
    .update(`${source.id}\u0000${symbol}\u0000${interval}\u0000${range}`)
    .digest('hex');
  const kind = source.name.split(':')[0];
  return `${kind}:${symbol}:${interval}:${range}:${digest.slice(0, 12)}`;
}
