import { StoredJobTable, type Database, type DbInsertRow } from '@rrr/core';
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
const REWRITTEN = ['status', 'result', 'error', 'started_at', 'finished_at', 'heartbeat_at'] as const;

function rowOf(job: OptimizationJob, now: number): DbInsertRow<'optimization_runs'> {
  return {
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
}

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

/**
 * The optimization_runs table: every optimisation job as it last stood, and the heartbeat of its owner. `jobs` is the
 * takeover side of it (core's StoredJobTable): claims, the conditional start, stamps, releases, interrupted jobs.
 */
export class OptimizationRunStore {
  readonly jobs: StoredJobTable<'optimization_runs', 'request' | 'inputs'>;

  constructor(private readonly db: Database) {
    this.jobs = new StoredJobTable(db, {
      table: 'optimization_runs',
      submittedAt: 'submitted_at',
      claimColumns: ['request', 'inputs'],
    });
  }

  /**
   * Writes the job as it stands now (the request and inputs once; they never change), stamped alive at `now`,
   * whatever the stored row says: only for a job this process started, or one nobody else can hold.
   */
  async save(job: OptimizationJob, now: number): Promise<void> {
    await this.db.insertMany('optimization_runs', [rowOf(job, now)], {
      onConflict: { target: ['id'], action: { update: [...REWRITTEN] } },
    });
  }

  /**
   * Writes the job as it stands now unless a row of its id is stored already (a job taken over: its row is the
   * stored one, claimed by this process); true when it wrote.
   */
  async insert(job: OptimizationJob, now: number): Promise<boolean> {
    const written = await this.db.insertMany('optimization_runs', [rowOf(job, now)], {
      onConflict: { target: ['id'], action: 'ignore' },
    });
    return written > 0;
  }

  /** Stamps the owner's unfinished jobs alive at `now`. */
  async heartbeat(ids: readonly string[], now: number): Promise<void> {
    await this.jobs.stamp(ids, now);
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
}
