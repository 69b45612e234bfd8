import type { Database, DbColumnName, DbTableName, SqlValue } from '../db';
import { interruptedJobError } from './job-heartbeat';

/** The columns every table of stored jobs has, whatever else it keeps. */
type StoredJobColumn = 'id' | 'status' | 'error' | 'finished_at' | 'heartbeat_at';

/** The tables that can hold stored jobs: those with every StoredJobColumn. */
export type StoredJobTableName = {
  [T in DbTableName]: StoredJobColumn extends DbColumnName<T> ? T : never;
}[DbTableName];

export interface StoredJobTableOptions<T extends StoredJobTableName, C extends DbColumnName<T>> {
  table: T;
  /** The column takeovers are ordered by: the oldest submitted job is taken first (ties by id). */
  submittedAt: DbColumnName<T>;
  /** The columns a claim reads back, for the taker to queue the job with. */
  claimColumns: readonly C[];
}

/**
 * The heartbeat of a queued job its owner handed over on a graceful stop: older than any stale limit, so the next
 * process to look takes it over without waiting for the heartbeat to go stale.
 */
export const RELEASED_HEARTBEAT = 0;

/** A claimed row: its id and the claim columns as the driver returns them (PostgreSQL: BIGINT as strings). */
export type ClaimedRow<C extends string> = { id: string } & { [K in C]: unknown };

const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

/**
 * The SQL of the job-takeover mechanism over one table of stored jobs (backtest_runs, optimization_runs): a job is
 * `queued`, then `running`, then ended; while a process holds it queued or running it stamps `heartbeat_at`. Every
 * change of hands is one conditional UPDATE, so of several processes sharing the database exactly one wins it: a
 * claim (a stale queued job stamped by its taker), a start (queued → running) and the end of a job that never started.
 * Table and column names come from the code (checked against the schema's types), never from input.
 */
export class StoredJobTable<T extends StoredJobTableName, C extends DbColumnName<T> = never> {
  readonly table: T;
  private readonly submittedAt: string;
  private readonly claimColumns: readonly C[];

  constructor(
    private readonly db: Database,
    options: StoredJobTableOptions<T, C>,
  ) {
    this.table = options.table;
    this.submittedAt = options.submittedAt;
    this.claimColumns = options.claimColumns;
  }

  /** Stamps the owner's queued and running jobs alive at `now` (one statement: keep `ids` under the driver's limit). */
  async stamp(ids: readonly string[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(
      `UPDATE ${this.table} SET heartbeat_at = ? WHERE status IN ('queued', 'running') AND id IN (${placeholders(ids)})`,
      [now, ...ids],
    );
  }

  /**
   * Takes up to `limit` queued jobs not stamped since `staleBefore` — their process died or handed them over —
   * oldest submitted first, each with one conditional UPDATE that stamps it at `now`. Returns the rows this call won
   * (the claim columns).
   */
  async claimStaleQueued(options: { staleBefore: number; now: number; limit: number }): Promise<ClaimedRow<C>[]> {
    const { staleBefore, now, limit } = options;
    if (limit <= 0) return [];
    const columns = ['id', ...this.claimColumns.filter((column) => column !== 'id')].join(', ');
    const candidates = await this.db.query<ClaimedRow<C>>(
      `SELECT ${columns} FROM ${this.table} WHERE status = 'queued' AND heartbeat_at < ? ` +
        `ORDER BY ${this.submittedAt}, id LIMIT ?`,
      [staleBefore, limit],
    );
    const claimed: ClaimedRow<C>[] = [];
    for (const row of candidates) {
      const { rowCount } = await this.db.execute(
        `UPDATE ${this.table} SET heartbeat_at = ? WHERE id = ? AND status = 'queued' AND heartbeat_at < ?`,
        [now, row.id, staleBefore],
      );
      if (rowCount > 0) claimed.push(row);
    }
    return claimed;
  }

  /**
   * Moves a queued job to running, stamped at `now`, with the other columns in `set`. False when it is no longer
   * queued — another process that also held it started or ended it — and then nothing is written: the caller must
   * not run it.
   */
  async startQueued(
    id: string,
    now: number,
    set: Partial<Record<Exclude<DbColumnName<T>, StoredJobColumn>, SqlValue>> = {},
  ): Promise<boolean> {
    const entries = Object.entries(set) as [string, SqlValue][];
    const { rowCount } = await this.db.execute(
      `UPDATE ${this.table} SET ${entries.map(([column]) => `${column} = ?, `).join('')}status = 'running', ` +
        "heartbeat_at = ? WHERE id = ? AND status = 'queued'",
      [...entries.map(([, value]) => value), now, id],
    );
    return rowCount > 0;
  }

  /** Ends a job that never started (cancelled, say) as `status` with `error`; false when it was not queued. */
  async endQueued(id: string, ending: { status: string; error: string; now: number }): Promise<boolean> {
    const { rowCount } = await this.db.execute(
      `UPDATE ${this.table} SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status = 'queued'`,
      [ending.status, ending.error, ending.now, id],
    );
    return rowCount > 0;
  }

  /** Hands queued jobs over to whichever process claims them next (a graceful stop), instead of their going stale. */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(
      `UPDATE ${this.table} SET heartbeat_at = ? WHERE status = 'queued' AND id IN (${placeholders(ids)})`,
      [RELEASED_HEARTBEAT, ...ids],
    );
  }

  /**
   * Ends as failed (interruptedJobError) every running job not stamped since `staleBefore`: its process died. Jobs
   * without a heartbeat (NULL: nobody stamps them) are left alone, and so are queued ones: those are claimed. Returns
   * how many were ended.
   */
  async interruptStaleRunning(staleBefore: number, now: number): Promise<number> {
    const stale = await this.db.query<{ id: string; heartbeat_at: number | string }>(
      `SELECT id, heartbeat_at FROM ${this.table} WHERE status = 'running' AND heartbeat_at < ?`,
      [staleBefore],
    );
    let ended = 0;
    for (const row of stale) {
      // Checked again in the update: the owner may have stamped it, or another reader ended it, meanwhile.
      const { rowCount } = await this.db.execute(
        `UPDATE ${this.table} SET status = 'failed', error = ?, finished_at = ? ` +
          "WHERE id = ? AND status = 'running' AND heartbeat_at < ?",
        [interruptedJobError(Number(row.heartbeat_at)), now, row.id, staleBefore],
      );
      ended += rowCount;
    }
    return ended;
  }
}
