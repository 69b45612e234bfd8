import type { DatabaseSession } from '@rrr/core';

/** Where a backfill job stands: the newest bar it has stored, and whether it ran to the end. */
export interface BackfillCursor {
  lastTs?: number;
  complete: boolean;
}

export interface BackfillCheckpoint {
  jobId: string;
  cursor: BackfillCursor;
  rowsWritten: number;
  updatedAt: number;
}

/** The checkpoint of `jobId`, or undefined when the job has never committed a batch. */
export async function readCheckpoint(session: DatabaseSession, jobId: string): Promise<BackfillCheckpoint | undefined> {
  const row = await session.queryOne<{
    job_id: string;
    cursor: string | null;
    rows_written: number;
    updated_at: number;
  }>('SELECT job_id, cursor, rows_written, updated_at FROM backfill_checkpoints WHERE job_id = ?', [jobId]);
  if (row === undefined) return undefined;
  const cursor = row.cursor === null ? { complete: false } : (JSON.parse(row.cursor) as BackfillCursor);
  return { jobId: row.job_id, cursor, rowsWritten: Number(row.rows_written), updatedAt: Number(row.updated_at) };
}

/** Writes the checkpoint; call it in the transaction that stores the batch it describes. */
export async function writeCheckpoint(session: DatabaseSession, checkpoint: BackfillCheckpoint): Promise<void> {
  await session.insertMany(
    'backfill_checkpoints',
    [
      {
        job_id: checkpoint.jobId,
        cursor: JSON.stringify(checkpoint.cursor),
        rows_written: checkpoint.rowsWritten,
        updated_at: checkpoint.updatedAt,
      },
    ],
    { onConflict: { target: ['job_id'], action: { update: ['cursor', 'rows_written', 'updated_at'] } } },
  );
}

export async function deleteCheckpoint(session: DatabaseSession, jobId: string): Promise<void> {
  await session.execute('DELETE FROM backfill_checkpoints WHERE job_id = ?', [jobId]);
}
