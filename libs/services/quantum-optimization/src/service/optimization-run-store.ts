import type { Database, DbInsertRow } from '@rrr/core';
import type { OptimizationJob, OptimizationJobStatus } from './optimization-job';

/** A stored job and when its owning process last vouched that it still holds it queued or running. */
export interface StoredOptimizationJob {
  job: OptimizationJob;
  heartbeatAt: number;
}

interface RunRow {
  id: string;
  status: OptimizationJobStatus;
  request: string;
  inputs: string;
  result: string | null;
  error: string | null;
  submitted_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  heartbeat_at: number | string;
}

const COLUMNS = 'id, status, request, inputs, result, error, submitted_at, started_at, finished_at, heartbeat_at';
const UNFINISHED = "('queued', 'running')";
const REWRITTEN = ['status', 'result', 'error', 'started_at', 'finished_at', 'heartbeat_at'] as const;

// PostgreSQL hands BIGINT columns back as strings.
const intOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toStored(row: RunRow): StoredOptimizationJob {
  return {
    job: {
      id: row.id,
      status: row.status,
      request: JSON.parse(row.request) as OptimizationJob['request'],
      inputs: JSON.parse(row.inputs) as OptimizationJob['inputs'],
      result: row.result === null ? null : (JSON.parse(row.result) as OptimizationJob['result']),
      ...(row.error === null ? {} : { error: row.error }),
      submittedAt: Number(row.submitted_at),
      startedAt: intOrNull(row.started_at),
      finishedAt: intOrNull(row.finished_at),
    },
    heartbeatAt: Number(row.heartbeat_at),
  };
}

/** The optimization_runs table: every optimisation job as it last stood, and the heartbeat of its owner. */
export class OptimizationRunStore {
  constructor(private readonly db: Database) {}

  /** Writes the job as it stands now (the request and inputs once; they never change), stamped alive at `now`. */
  async save(job: OptimizationJob, now: number): Promise<void> {
    const row: DbInsertRow<'optimization_runs'> = {
      id: job.id,
      status: job.status,
      request: job.request as unknown as Record<string, unknown>,
      inputs: job.inputs as unknown as Record<string, unknown>,
      result: job.result as unknown as Record<string, unknown> | null,
      error: job.error ?? null,
      submitted_at: job.submittedAt,
      started_at: job.startedAt,
      finished_at: job.finishedAt,
      heartbeat_at: now,
    };
    await this.db.insertMany('optimization_runs', [row], {
      onConflict: { target: ['id'], action: { update: [...REWRITTEN] } },
    });
  }

  /** Stamps the owner's unfinished jobs alive at `now`. */
  async heartbeat(ids: readonly string[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(
      `UPDATE optimization_runs SET heartbeat_at = ? WHERE status IN ${UNFINISHED} AND id IN (${ids.map(() => '?').join(', ')})`,
      [now, ...ids],
    );
  }

  async get(id: string): Promise<StoredOptimizationJob | undefined> {
    const row = await this.db.queryOne<RunRow>(`SELECT ${COLUMNS} FROM optimization_runs WHERE id = ?`, [id]);
    return row === undefined ? undefined : toStored(row);
  }

  /** The newest `limit` jobs, newest submitted first. */
  async list(limit: number): Promise<StoredOptimizationJob[]> {
    const rows = await this.db.query<RunRow>(
      `SELECT ${COLUMNS} FROM optimization_runs ORDER BY submitted_at DESC, id DESC LIMIT ?`,
      [limit],
    );
    return rows.map(toStored);
  }

  /**
   * Claims for this process, at `now`, the queued jobs nothing vouched for since `staleBefore` (their process died or
   * stopped), oldest first, at most `limit`: each with one conditional UPDATE, so two processes never both take one.
   */
  async claimStaleQueued(staleBefore: number, now: number, limit: number): Promise<StoredOptimizationJob[]> {
    if (limit <= 0) return [];
    const candidates = await this.db.query<RunRow>(
      `SELECT ${COLUMNS} FROM optimization_runs WHERE status = 'queued' AND heartbeat_at < ? ` +
        'ORDER BY submitted_at, id LIMIT ?',
      [staleBefore, limit],
    );
    const claimed: StoredOptimizationJob[] = [];
    for (const row of candidates) {
      const { rowCount } = await this.db.execute(
        "UPDATE optimization_runs SET heartbeat_at = ? WHERE id = ? AND status = 'queued' AND heartbeat_at < ?",
        [now, row.id, staleBefore],
      );
      if (rowCount > 0) claimed.push({ ...toStored(row), heartbeatAt: now });
    }
    return claimed;
  }

  /** Leaves queued jobs to whichever process claims them next: nothing vouches for them any more. */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(
      `UPDATE optimization_runs SET heartbeat_at = 0 WHERE status = 'queued' AND id IN (${ids.map(() => '?').join(', ')})`,
      [...ids],
    );
  }

  /**
   * Ends a job as failed with `error` if it is still running and nothing vouched for it since `staleBefore`; false
   * when it was not (it finished, or its owner is alive after all). A queued job is not ended so: it is claimed.
   */
  async markInterrupted(id: string, staleBefore: number, now: number, error: string): Promise<boolean> {
    const { rowCount } = await this.db.execute(
      `UPDATE optimization_runs SET status = 'failed', error = ?, finished_at = ? ` +
        `WHERE id = ? AND status = 'running' AND heartbeat_at < ?`,
      [error, now, id, staleBefore],
    );
    return rowCount > 0;
  }
}
