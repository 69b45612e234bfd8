import { Worker } from 'node:worker_threads';

export interface SqliteCheckpointerOptions {
  /** The database file (not `:memory:`). */
  path: string;
  /** How often the worker runs a PASSIVE checkpoint; one with nothing to copy costs a read of the WAL index. */
  intervalMs: number;
  /** WAL frames past which the writer is asked to finish a checkpoint itself (see `takeBacklog`). */
  restartFrames: number;
  /** The worker failed or exited on its own: the writer must take checkpoints back. */
  onFailure: (reason: string) => void;
}

/*
 * Runs in the worker. Its own connection copies committed WAL frames into the database file and syncs both files
 * (synchronous=NORMAL makes a checkpoint sync the WAL, then the database), so those syncs block this thread instead
 * of the writer's. PASSIVE never waits for the writer or readers: it copies what it can and returns.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Driver = require(workerData.driver);
const db = new Driver(workerData.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const backlog = new Int32Array(workerData.backlog);
const checkpoint = () => {
  // The writer has yet to take its turn: checkpointing now would only hold the lock it needs.
  if (Atomics.load(backlog, 0) === 1) return;
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  if (result.log >= workerData.restartFrames) Atomics.store(backlog, 0, 1);
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
  parentPort.close();
});
`;

/**
 * Takes WAL checkpoints off the writer's thread. With SQLite's automatic checkpoint, the commit that pushes the WAL
 * past 1,000 pages copies it into the database and fsyncs twice before it returns — milliseconds on a real disk,
 * paid by whichever write happens to cross the line (an order round trip's p99). Here a worker thread with its own
 * connection checkpoints on a timer while the writer keeps committing; the writer's automatic checkpoint is turned
 * off only while the worker runs. Under sustained writes the writer still checkpoints once per `restartFrames`
 * (so the WAL stays bounded), a fraction of the automatic checkpoint's rate. Durability is unchanged: with WAL and
 * synchronous=NORMAL a commit is safe against a process crash as soon as it returns, and reaches the disk at the
 * next checkpoint either way.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  /** Set by the worker, read by the writer after each commit: a flag, so a writer that never yields still sees it. */
  private readonly backlog = new Int32Array(new SharedArrayBuffer(4));
  private stopped = false;
  private failed = false;

  constructor(options: SqliteCheckpointerOptions) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        path: options.path,
        intervalMs: options.intervalMs,
        restartFrames: options.restartFrames,
        backlog: this.backlog.buffer,
      },
    });
    // A forgotten close() must not keep the process alive; the writer's close checkpoints anyway.
    this.worker.unref();
    const fail = (reason: string) => {
      if (this.stopped || this.failed) return;
      this.failed = true;
      options.onFailure(reason);
    };
    this.worker.on('error', (err) => fail(err.message));
    this.worker.on('exit', (code) => fail(`the checkpoint worker exited (code ${code})`));
  }

  /**
   * True after the worker found `restartFrames` or more frames in the WAL. The WAL starts over (instead of
   * growing) only when a write begins with every frame copied, which a writer that never pauses does not allow: the
   * writer should then checkpoint once itself — the few frames written since the worker's pass, and the two syncs.
   */
  hasBacklog(): boolean {
    return Atomics.load(this.backlog, 0) === 1;
  }

  /** The writer's checkpoint copied every frame: the worker may resume. */
  clearBacklog(): void {
    Atomics.store(this.backlog, 0, 0);
  }

  /** Runs a last checkpoint and closes the worker's connection, so the writer's close is the last one. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.failed) return;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      this.worker.on('message', (message) => message === 'stopped' && done());
      this.worker.once('exit', done);
      this.worker.once('error', done);
      this.worker.postMessage('stop');
    });
    await this.worker.terminate();
  }
}
