import BetterSqlite3 from 'better-sqlite3';
import { DatabaseError, errorMessage } from '../errors';
import { assertStreamBatchSize } from './assert-stream-batch-size';
import type { Database, SqlParams, StreamOptions } from './database';
import { encodeSqlParams } from './sql-value-encoding';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { SqliteConnection } from './sqlite-connection';
import { SqliteSession } from './sqlite-session';
import { toDatabaseError } from './to-database-error';

export interface SqliteDatabaseOptions {
  /** Database file; `:memory:` for a private in-memory database. */
  path: string;
  /** How long a statement waits for another process's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
  /**
   * Where WAL checkpoints run: `background` (default for files) — a worker thread checkpoints every
   * `checkpointIntervalMs`, so no commit waits for a checkpoint's fsyncs; `on-commit` — SQLite's automatic
   * checkpoint inside the commit that crosses 1,000 WAL pages.
   */
  checkpoint?: SqliteCheckpointMode;
  /** Default 100. */
  checkpointIntervalMs?: number;
  /** Background mode: WAL frames past which the writer finishes a checkpoint itself. Default 8,192 (32 MiB). */
  checkpointRestartFrames?: number;
  /**
   * Background mode: commits after which the worker starts (until then SQLite checkpoints on commit as usual), so a
   * database that sees a handful of writes costs no thread. Default 64.
   */
  checkpointAfterCommits?: number;
}

export type SqliteCheckpointMode = 'background' | 'on-commit';

/** SQLite's default wal_autocheckpoint, restored if the checkpoint worker fails. */
const AUTOCHECKPOINT_PAGES = 1000;
/** 32 MiB of 4 KiB pages: the writer finishes a checkpoint 8× less often than SQLite's automatic one would. */
const RESTART_FRAMES = 8192;
const START_AFTER_COMMITS = 64;
/** The WAL file is cut back to this size when it starts over after a burst. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

function openConfigured(options: SqliteDatabaseOptions): BetterSqlite3.Database {
  let handle: BetterSqlite3.Database | undefined;
  try {
    handle = new BetterSqlite3(options.path, { timeout: options.busyTimeoutMs });
    handle.pragma('journal_mode = WAL');
    handle.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
    handle.pragma('foreign_keys = ON');
    handle.pragma('synchronous = NORMAL');
    return handle;
  } catch (err) {
    if (handle?.open) handle.close();
    throw new DatabaseError(`sqlite: cannot open ${options.path}: ${errorMessage(err)}`);
  }
}

/**
 * The embedded default: one better-sqlite3 connection in WAL mode (readers never block the writer),
 * synchronous=NORMAL (durable at checkpoints, no fsync per commit — safe against application crashes), foreign keys
 * enforced. better-sqlite3 is synchronous, so async transactions are serialised through the session gate. Open one
 * instance per file per process: a second instance's write transaction would wait for the first one's lock by
 * blocking the very thread that has to finish it (SQLITE_BUSY after busyTimeoutMs).
 */
export class SqliteDatabase extends SqliteSession implements Database {
  private readonly busyTimeoutMs: number;
  /** Cleanups of open streams, run by close() so an abandoned iterator cannot keep a connection open. */
  private readonly openStreams = new Set<() => void>();
  private closing = false;
  private checkpointer: SqliteCheckpointer | undefined;

  constructor(options: SqliteDatabaseOptions) {
    const connection = new SqliteConnection(openConfigured(options));
    super(connection, 0);
    this.busyTimeoutMs = options.busyTimeoutMs;
    if ((options.checkpoint ?? 'background') === 'background' && !connection.handle.memory) {
      // A database that only sees a few writes (a CLI command, a test) never pays for the worker.
      const startAfter = options.checkpointAfterCommits ?? START_AFTER_COMMITS;
      let commits = 0;
      connection.afterCommit = () => {
        if (++commits >= startAfter && !this.closing) this.startBackgroundCheckpoints(options);
      };
      if (startAfter <= 0) this.startBackgroundCheckpoints(options);
    }
  }

  /** Hands checkpoints to a worker from now on (see SqliteCheckpointer); the writer keeps only the backlog check. */
  private startBackgroundCheckpoints(options: SqliteDatabaseOptions): void {
    const { connection } = this;
    const { handle } = connection;
    handle.pragma('wal_autocheckpoint = 0');
    handle.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    const checkpointer = new SqliteCheckpointer({
      path: handle.name,
      intervalMs: options.checkpointIntervalMs ?? 100,
      restartFrames: options.checkpointRestartFrames ?? RESTART_FRAMES,
      onFailure: () => {
        if (handle.open) handle.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      },
    });
    this.checkpointer = checkpointer;
    connection.afterCommit = () => {
      if (!checkpointer.hasBacklog()) return;
      try {
        const [result] = handle.pragma('wal_checkpoint(PASSIVE)') as {
          busy: number;
          log: number;
          checkpointed: number;
        }[];
        // Until every frame is copied the WAL cannot start over: try again after the next commit.
        if (result.busy === 0 && result.checkpointed === result.log) checkpointer.clearBacklog();
      } catch {
        // The commit itself succeeded and the WAL keeps it; the next commit tries again.
      }
    };
  }

  /** The underlying better-sqlite3 handle, for tools that need SQLite itself (backups, benchmarks). */
  get handle(): BetterSqlite3.Database {
    return this.connection.handle;
  }

  /**
   * Iterates `statement.iterate()` on a read-only connection of its own: better-sqlite3 forbids writes on a
   * connection while one of its statements is iterating, and the consumer may well write between batches. The
   * separate connection also gives the stream one consistent WAL snapshot. An in-memory database cannot be opened
   * twice, so there the stream uses the main connection and the consumer must not write until it finishes.
   */
  stream<T extends object = Record<string, unknown>>(
    sql: string,
    params: SqlParams,
    options: StreamOptions,
  ): AsyncIterable<T[]> {
    return this.streamBatches<T>(sql, params, options.batchSize);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.gate.drain();
    for (const cleanup of [...this.openStreams]) cleanup();
    this.openStreams.clear();
    // The writer's connection must close last: closing the last connection checkpoints and removes the WAL.
    await this.checkpointer?.stop();
    this.connection.close();
  }

  protected override assertUsable(): void {
    if (this.closing) throw new DatabaseError('sqlite: the database is closed');
  }

  private async *streamBatches<T>(sql: string, params: SqlParams, batchSize: number): AsyncGenerator<T[]> {
    assertStreamBatchSize(batchSize);
    this.assertUsable();
    const main = this.connection.handle;
    const reader = main.memory
      ? main
      : new BetterSqlite3(main.name, { readonly: true, fileMustExist: true, timeout: this.busyTimeoutMs });
    let rows: IterableIterator<T> | undefined;
    const cleanup = (): void => {
      rows?.return?.();
      if (reader !== main && reader.open) reader.close();
    };
    this.openStreams.add(cleanup);
    try {
      const statement = reader.prepare(sql);
      if (!statement.reader) throw new DatabaseError(`sqlite: stream needs a statement that returns rows`);
      rows = statement.iterate(encodeSqlParams(params)) as IterableIterator<T>;
      let batch: T[] = [];
      for (const row of rows) {
        batch.push(row);
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } catch (err) {
      throw toDatabaseError(err, sql, 'sqlite');
    } finally {
      this.openStreams.delete(cleanup);
      cleanup();
    }
  }
}
