import type { DbColumnName } from '../db';
import type { RrrLogger } from '../logging';
import { systemClock, type Clock } from '../time';
import { STALE_AFTER_HEARTBEATS } from './job-heartbeat';
import type { JobFields, JobQueue, JobRecord } from './job-queue';
import type { ClaimedRow, StoredJobTable, StoredJobTableName } from './stored-job-table';

export interface JobTakeoverOptions<J extends JobRecord, T extends StoredJobTableName, C extends DbColumnName<T>> {
  /** The service's queue: the jobs it holds are stamped, taken-over jobs are submitted to it under their ids. */
  queue: JobQueue<J>;
  table: StoredJobTable<T, C>;
  /** How often held jobs are stamped and stale queued ones looked for; three missed stamps make a job stale. */
  heartbeatMs: number;
  /** What a job is called in log lines: "took over a queued <jobName> of a process that is gone". */
  jobName: string;
  clock?: Clock;
  logger?: RrrLogger;
  /**
   * The fields a claimed row is queued with, or — a string — why it cannot be run (its row is then ended `failed`
   * with that error).
   */
  resume: (row: ClaimedRow<C>) => JobFields<J> | string;
  /**
   * Hands a write nobody awaits (the heartbeat's stamps, the release on stop) to the owner's chain of writes, which
   * its reads wait for; the owner logs a failed one.
   */
  persist: (what: string, write: () => Promise<unknown>) => void;
}

/**
 * The job-takeover loop of a service that stores its jobs (one row each, in a StoredJobTable) and runs them on a
 * JobQueue, so no queued job is lost with its process and none runs twice:
 * - while started, every `heartbeatMs` it stamps the jobs the queue holds (queued or running) alive, and takes over
 *   — on start too — the queued jobs of processes that died or stopped (not stamped for STALE_AFTER_HEARTBEATS
 *   intervals, or released), oldest first and as many as the queue has room for, each claimed with one conditional
 *   UPDATE and submitted under its own id (one takeover at a time; a heartbeat that finds one working skips its turn,
 *   and so does a heartbeat that comes two intervals late: this process stalled, and cannot tell stale from late);
 * - a held job becomes running only through the table's conditional `startQueued` (the owner's run calls it): when
 *   another process started or ended the job meanwhile, the run throws JobClaimLostError and the queue drops it;
 * - `stop()` stops the queue and hands its waiting jobs over (their heartbeat released) to the next process;
 * - `interruptStale()`, before a read, ends the running jobs whose process died as failed (interrupted).
 */
export class JobTakeover<J extends JobRecord, T extends StoredJobTableName, C extends DbColumnName<T>> {
  private readonly options: JobTakeoverOptions<J, T, C>;
  private readonly clock: Clock;
  private readonly staleAfterMs: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private adoption: Promise<void> | undefined;

  constructor(options: JobTakeoverOptions<J, T, C>) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.staleAfterMs = STALE_AFTER_HEARTBEATS * options.heartbeatMs;
  }

  /** Starts the queue and the heartbeat; resolves once the stale queued jobs found now are taken over. */
  async start(): Promise<void> {
    const { queue, table, heartbeatMs, jobName, persist } = this.options;
    queue.start();
    clearInterval(this.heartbeat);
    let lastBeat = performance.now();
    this.heartbeat = setInterval(() => {
      const held = queue
        .list()
        .filter((job) => job.status === 'queued' || job.status === 'running')
        .map((job) => job.id);
      if (held.length > 0) persist(`stamp the queued and running ${jobName}s`, () => table.stamp(held, this.now()));
      // A beat two intervals late means this process stalled (a blocked event loop, a paused machine): its own stamps
      // were late, and so may be those of the processes it shares the machine with. It judges nobody stale on such a
      // beat — the next one, a heartbeat later, takes over whatever is still stale.
      const beat = performance.now();
      const stalled = beat - lastBeat > 2 * heartbeatMs;
      lastBeat = beat;
      if (!stalled) void this.adopt();
    }, heartbeatMs);
    this.heartbeat.unref();
    await this.adopt();
  }

  /**
   * Stops the heartbeat and the queue (running jobs are aborted and awaited); the waiting jobs are not cancelled but
   * released, for the next process — another, or this one started again — to take over. Returns their ids.
   */
  async stop(): Promise<string[]> {
    const { queue, table, jobName, persist } = this.options;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const waiting = (await queue.stop({ handOverWaiting: true })).map((job) => job.id);
    await this.adoption;
    persist(`hand over the queued ${jobName}s`, () => table.release(waiting));
    return waiting;
  }

  /** Ends, as failed (interrupted), the stored running jobs whose process died; how many were ended. */
  interruptStale(): Promise<number> {
    const now = this.now();
    return this.options.table.interruptStaleRunning(now - this.staleAfterMs, now);
  }

  private now(): number {
    return this.clock.now();
  }

  private adopt(): Promise<void> {
    this.adoption ??= this.adoptStaleQueued()
      .catch((error: unknown) =>
        this.options.logger?.warn({ err: error }, `could not take over queued ${this.options.jobName}s`),
      )
      .finally(() => (this.adoption = undefined));
    return this.adoption;
  }

  private async adoptStaleQueued(): Promise<void> {
    const { queue, table, jobName, logger, resume } = this.options;
    const now = this.now();
    const claimed = await table.claimStaleQueued({ staleBefore: now - this.staleAfterMs, now, limit: queue.room() });
    for (const row of claimed) {
      const { id } = row;
      const fields = resume(row);
      if (typeof fields === 'string') {
        await table.endQueued(id, { status: 'failed', error: fields, now });
        continue;
      }
      try {
        queue.submit(fields, { id });
        logger?.info({ job: id }, `took over a queued ${jobName} of a process that is gone`);
      } catch (error) {
        // This process holds it already (its own stamps were late): the claim only stamped it again.
        const held = queue.find(id)?.status;
        if (held === 'queued' || held === 'running') continue;
        // Stopped, or filled up by submits, since the claim: another process or a later heartbeat takes it.
        logger?.info({ job: id, err: error }, `left a queued ${jobName} for later`);
        await table.release([id]);
      }
    }
  }
}
