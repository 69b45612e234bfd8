/*
 * A backfill in a process of its own, for the test that kills it: `node <bundle> <sqlite-path> <delay-ms>` backfills
 * a seeded synthetic market into the file, printing `committed <batches> <rowsWritten> <cursor>` after each batch
 * commits (then pausing <delay-ms>, so the parent can kill it midway), and `done <status> <rowsWritten>
 * <resumedAfter|-> ` at the end.
 */
import { openDatabase, sleep } from '@rrr/core';
import { runBackfill } from '../backfill/run-backfill';
import { createSyntheticSource } from '../sources/synthetic-source';

/** The job both the killed run and the uninterrupted run perform. */
export const CHILD_BACKFILL_JOB = {
  symbol: 'BTC-USD',
  interval: '1m',
  seed: 7,
  from: Date.UTC(2024, 0, 1),
  to: Date.UTC(2024, 0, 8),
  batchSize: 500,
} as const;

async function main(): Promise<void> {
  const [path, delayText] = process.argv.slice(2);
  const delayMs = Number(delayText ?? '0');
  const db = await openDatabase({ sqlitePath: path });
  try {
    const { symbol, interval, seed, from, to, batchSize } = CHILD_BACKFILL_JOB;
    const result = await runBackfill(db, {
      source: createSyntheticSource({ symbol, interval, seed, from, to, batchSize }),
      policy: { errors: 'reject', anomalies: 'quarantine' },
      onBatchCommitted: async (progress) => {
        process.stdout.write(`committed ${progress.batches} ${progress.rowsWritten} ${progress.cursor ?? '-'}\n`);
        if (delayMs > 0) await sleep(delayMs);
      },
    });
    process.stdout.write(`done ${result.status} ${result.rowsWritten} ${result.resumedAfter ?? '-'}\n`);
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
