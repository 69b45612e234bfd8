import { StoredJobTable, type Database, type DbInsertRow } from '@rrr/core';
import type { TrainingJob, TrainingJobProgress } from './training-job';

interface RunRow {
  id: string;
  status: TrainingJob['status'];
  request: string;
  progress: string;
  result: string | null;
  error: string | null;
  submitted_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
}

const COLUMNS = 'id, status, request, progress, result, error, submitted_at, started_at, finished_at';
const REWRITTEN = ['status', 'progress', 'result', 'error', 'started_at', 'finished_at', 'heartbeat_at'] as const;

function rowOf(job: TrainingJob, now: number): DbInsertRow<'model_training_runs'> {
  return {
    id: job.id,
    status: job.status,
    request: job.request as unknown as Record<string, unknown>,
    progress: job.progress as unknown as Record<string, unknown>,
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

function toJob(row: RunRow): TrainingJob {
  return {
    id: row.id,
    status: row.status,
    request: JSON.parse(row.request) as TrainingJob['request'],
    progress: JSON.parse(row.progress) as TrainingJobProgress,
    result: row.result === null ? null : (JSON.parse(row.result) as TrainingJob['result']),
    ...(row.error === null ? {} : { error: row.error }),
    submittedAt: Number(row.submitted_at),
    startedAt: intOrNull(row.started_at),
    finishedAt: intOrNull(row.finished_at),
  };
}

/**
 * The model_training_runs table: every training job as it last stood (its progress as last written), and the
 * heartbeat of its owner. `jobs` is the takeover side of it (core's StoredJobTable): claims, the conditional start,
 * stamps, releases, interrupted jobs.
 */
export class TrainingRunStore {
  readonly jobs: StoredJobTable<'model_training_runs', 'request' | 'submitted_at'>;

  constructor(private readonly db: Database) {
    this.jobs = new StoredJobTable(db, {
      table: 'model_training_runs',
      submittedAt: 'submitted_at',
      claimColumns: ['request', 'submitted_at'],
    });
  }

  /**
   * Writes the job as it stands now, stamped alive at `now`, whatever the stored row says: only for a job this
   * process started, or one nobody else can hold.
   */
  async save(job: TrainingJob, now: number): Promise<void> {
    await this.db.insertMany('model_training_runs', [rowOf(job, now)], {
      onConflict: { target: ['id'], action: { update: [...REWRITTEN] } },
    });
  }

  /**
   * Writes the job as it stands now unless a row of its id is stored already (a job taken over: its row is the
   * stored one, claimed by this process); true when it wrote.
   */
  async insert(job: TrainingJob, now: number): Promise<boolean> {
    const written = await this.db.insertMany('model_training_runs', [rowOf(job, now)], {
      onConflict: { target: ['id'], action: 'ignore' },
    });
    return written > 0;
  }

  /** Rewrites the progress of a job while it is running; a job that ended (or was interrupted) keeps its last one. */
  async saveProgress(id: string, progress: TrainingJobProgress): Promise<void> {
    await this.db.execute("UPDATE model_training_runs SET progress = ? WHERE id = ? AND status = 'running'", [
      JSON.stringify(progress),
      id,
    ]);
  }

  async get(id: string): Promise<TrainingJob | undefined> {
    const row = await this.db.queryOne<RunRow>(`SELECT ${COLUMNS} FROM model_training_runs WHERE id = ?`, [id]);
    return row === undefined ? undefined : toJob(row);
  }

  /** The newest `limit` jobs, newest submitted first. */
  async list(limit: number): Promise<TrainingJob[]> {
    const rows = await this.db.query<RunRow>(
      `SELECT ${COLUMNS} FROM model_training_runs ORDER BY submitted_at DESC, id DESC LIMIT ?`,
      [limit],
    );
    return rows.map(toJob);
  }
}
