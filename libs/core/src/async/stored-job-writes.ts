import type { JobRecord } from './job-queue';
import type { OrderedWrites } from './ordered-writes';
import type { StoredJobTable, StoredJobTableName } from './stored-job-table';

/** How a service writes its job's whole row (its own columns: request, result, progress …). */
export interface StoredJobRows<J> {
  /** Writes the row unless one of its id is stored (a job taken over keeps the stored one); true when it wrote. */
  insert(job: J, now: number): Promise<boolean>;
  /** Writes the row whatever is stored: only for a job this process started. */
  save(job: J, now: number): Promise<void>;
}

/**
 * The status writes of a service whose jobs are rows of a StoredJobTable and run on a JobQueue, in the order they
 * happen (one OrderedWrites chain):
 * - `statusChanged` (the queue's onStatusChange): a queued job is inserted unless its row exists; an ended job this
 *   process started rewrites its row; one that never started here (cancelled while queued) ends its row only while it
 *   is still queued, so nothing is written over a row another process took over. Running is written by `begin`.
 * - `begin` (first thing in the queue's run): queued → running only while the row is still queued; false when another
 *   process started or ended it (the run then throws JobClaimLostError). A job whose queued write failed has no row:
 *   nobody else can hold it, so it is written as running.
 */
export class StoredJobWrites<J extends JobRecord & { error?: string }, T extends StoredJobTableName> {
  /** Jobs this process moved to running in storage: only their later changes may overwrite the stored row. */
  private readonly begun = new Set<string>();

  constructor(
    private readonly options: {
      table: Pick<StoredJobTable<T>, 'startQueued' | 'endQueued'>;
      rows: StoredJobRows<J>;
      /** Columns the start writes with the status (e.g. started_at). */
      startColumns?: (job: J) => Parameters<StoredJobTable<T>['startQueued']>[2];
      writes: OrderedWrites;
      now: () => number;
      jobName: string;
    },
  ) {}

  statusChanged = (job: J): void => {
    if (job.status === 'running') return;
    const { writes, jobName } = this.options;
    writes.persist(`store ${jobName} job ${job.id}`, () => this.write(job));
  };

  async begin(job: J): Promise<boolean> {
    const { table, rows, writes, now, jobName, startColumns } = this.options;
    const started = await writes.chained(
      `start ${jobName} job ${job.id}`,
      async () => (await table.startQueued(job.id, now(), startColumns?.(job))) || rows.insert(job, now()),
    );
    if (started) this.begun.add(job.id);
    return started;
  }

  private write(job: J): Promise<unknown> {
    const { table, rows, now } = this.options;
    const at = now();
    if (job.status === 'queued') return rows.insert(job, at);
    if (this.begun.delete(job.id)) return rows.save(job, at);
    return table.endQueued(job.id, { status: job.status, error: job.error ?? job.status, now: at });
  }
}
