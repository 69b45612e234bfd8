import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, RrrError, errorMessage } from '../errors';
import { systemClock, type Clock } from '../time';
import { JobClaimLostError } from './job-claim-lost-error';
import { checkOptions, isIntAtLeast } from './option-checks';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The fields a JobQueue keeps on every job; the rest of a job (request, progress, result) belongs to its owner. */
export interface JobRecord {
  id: string;
  status: JobStatus;
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Why the job failed or was cancelled. */
  error?: string;
}

/** A job's own fields: what `submit` is given and what `run` may patch. */
export type JobFields<J extends JobRecord> = Omit<J, keyof JobRecord>;

/**
 * Does one job's work. `signal` aborts when the job is cancelled or the queue stops; a run that then rejects ends
 * `cancelled` with the abort reason's message, any other rejection ends `failed` with the error's message — except a
 * JobClaimLostError: the job belongs to another process now, and the queue forgets it without a status change. `report`
 * patches the job's own fields (progress) while it runs; the resolved patch is applied when it completes.
 */
export type JobRunner<J extends JobRecord> = (
  job: Readonly<J>,
  signal: AbortSignal,
  report: (patch: Partial<JobFields<J>>) => void,
) => Promise<Partial<JobFields<J>> | void>;

export interface JobQueueOptions<J extends JobRecord> {
  run: JobRunner<J>;
  /** Jobs running at the same time (>= 1). */
  concurrency: number;
  /** Jobs that may wait for a slot (>= 0); a submit beyond them is refused with SERVICE_UNAVAILABLE. */
  maxQueued: number;
  /** Finished jobs remembered (>= 0); beyond it the earliest finished are forgotten. */
  keepFinished: number;
  /** The owning service, in "the backtesting service is not running" and in error details. */
  service: string;
  /** What a job is called: "the backtest queue is full …", "backtest <id> is already completed". */
  jobName: string;
  /** The subject of NotFoundError for an unknown id ('backtest job "<id>" not found'); default `jobName`. */
  unknownJobName?: string;
  clock?: Clock;
  /** Default: random UUIDs. */
  newId?: () => string;
  /**
   * Called synchronously with a copy of the job each time its status changes (queued, running, then completed,
   * failed or cancelled), in the order the changes happen — the hook an owner persists its jobs through.
   */
  onStatusChange?: (job: J) => void;
}

export interface JobQueueHealth {
  queued: number;
  running: number;
  concurrency: number;
  maxQueued: number;
  completed: number;
  failed: number;
  cancelled: number;
}

interface RunningJob {
  controller: AbortController;
  settled: Promise<void>;
}

type FinalStatus = 'completed' | 'failed' | 'cancelled';

/**
 * An in-memory job runner for a service: a bounded FIFO queue in front of at most `concurrency` running jobs, each
 * with its own AbortController. Jobs are handed out as copies, so callers never see a job change under them.
 * Nothing runs before `start()`; `stop()` cancels the waiting jobs, aborts the running ones and resolves once each
 * run has settled, so whatever a run writes on abort is written before the owner closes its resources.
 */
export class JobQueue<J extends JobRecord> {
  private readonly options: JobQueueOptions<J>;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly jobs = new Map<string, J>();
  private readonly waiting: J[] = [];
  private readonly running = new Map<string, RunningJob>();
  /** Ids of finished jobs still remembered, earliest finished first. */
  private readonly finished = new Set<string>();
  private readonly totals = { completed: 0, failed: 0, cancelled: 0 };
  private accepting = false;

  constructor(options: JobQueueOptions<J>) {
    const { concurrency, maxQueued, keepFinished, service } = options;
    checkOptions(`job queue of the ${service} service`, [
      {
        field: 'concurrency',
        value: concurrency,
        ok: isIntAtLeast(concurrency, 1),
        message: 'must be an integer >= 1',
      },
      { field: 'maxQueued', value: maxQueued, ok: isIntAtLeast(maxQueued, 0), message: 'must be an integer >= 0' },
      {
        field: 'keepFinished',
        value: keepFinished,
        ok: isIntAtLeast(keepFinished, 0),
        message: 'must be an integer >= 0',
      },
    ]);
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? randomUUID;
  }

  /** Whether submits are taken (between `start` and `stop`). */
  get started(): boolean {
    return this.accepting;
  }

  start(): void {
    this.accepting = true;
    this.pump();
  }

  /**
   * Refuses further submits, aborts the running jobs and waits until each has settled. The waiting jobs are cancelled
   * — or, with `handOverWaiting`, let go as they stand: forgotten without a status change, and returned, for an owner
   * that leaves them (stored, queued) to another process.
   */
  async stop(options: { handOverWaiting?: boolean } = {}): Promise<J[]> {
    this.accepting = false;
    const reason = `cancelled: the ${this.options.service} service stopped`;
    const handedOver: J[] = [];
    for (const job of this.waiting.splice(0)) {
      if (options.handOverWaiting === true) {
        this.jobs.delete(job.id);
        handedOver.push({ ...job });
      } else this.finish(job, 'cancelled', reason);
    }
    const current = [...this.running.values()];
    for (const entry of current) entry.controller.abort(new Error(reason));
    await Promise.all(current.map((entry) => entry.settled));
    return handedOver;
  }

  /**
   * Throws SERVICE_UNAVAILABLE unless a submit would be taken now; for owners that check a request at length (reading
   * data) before submitting it, so a stopped service or a full queue refuses before that work.
   */
  assertAccepting(): void {
    const { service, jobName, maxQueued, concurrency } = this.options;
    if (!this.accepting) {
      throw new RrrError('SERVICE_UNAVAILABLE', `the ${service} service is not running`, { details: { service } });
    }
    if (this.running.size >= concurrency && this.waiting.length >= maxQueued) {
      throw new RrrError('SERVICE_UNAVAILABLE', `the ${jobName} queue is full (${maxQueued} jobs waiting)`, {
        details: { service, queued: this.waiting.length, maxQueued },
      });
    }
  }

  /**
   * Queues a job (it starts at once when a slot is free) and returns it; SERVICE_UNAVAILABLE when refused. `id`: the
   * job's id instead of a new one — for an owner that stored the job under its id before queueing it, or resumes a
   * stored job under the id its submitter holds. ConflictError while a job of that id is queued or running here; a
   * finished one still remembered is replaced.
   */
  submit(fields: JobFields<J>, options: { id?: string } = {}): J {
    this.assertAccepting();
    const id = options.id ?? this.newId();
    const known = this.jobs.get(id);
    if (known !== undefined) {
      if (known.status === 'queued' || known.status === 'running') {
        throw new ConflictError(`${this.options.jobName} ${id} is already ${known.status}`, {
          id,
          status: known.status,
        });
      }
      this.finished.delete(id);
      this.jobs.delete(id);
    }
    const job = {
      id,
      status: 'queued',
      ...fields,
      submittedAt: this.clock.now(),
      startedAt: null,
      finishedAt: null,
    } as unknown as J;
    this.jobs.set(job.id, job);
    this.waiting.push(job);
    this.options.onStatusChange?.({ ...job });
    this.pump();
    return { ...job };
  }

  /** A remembered job, or undefined. */
  find(id: string): J | undefined {
    const job = this.jobs.get(id);
    return job === undefined ? undefined : { ...job };
  }

  /** A remembered job; NotFoundError otherwise. */
  get(id: string): J {
    return { ...this.known(id) };
  }

  /** Remembered jobs, newest submitted first. */
  list(): J[] {
    return [...this.jobs.values()].reverse().map((job) => ({ ...job }));
  }

  /**
   * Removes a waiting job (it ends cancelled at once) or aborts a running one (it ends cancelled when its run
   * settles); ConflictError once the job has finished.
   */
  cancel(id: string): J {
    const job = this.known(id);
    if (job.status === 'queued') {
      this.waiting.splice(this.waiting.indexOf(job), 1);
      this.finish(job, 'cancelled', 'cancelled before it started');
    } else if (job.status === 'running') {
      this.running.get(id)?.controller.abort(new Error('cancelled on request'));
    } else {
      throw new ConflictError(`${this.options.jobName} ${id} is already ${job.status}`, { id, status: job.status });
    }
    return { ...job };
  }

  /** How many more jobs a submit would take now: free slots plus free places to wait; 0 while not accepting. */
  room(): number {
    if (!this.accepting) return 0;
    return (
      Math.max(0, this.options.concurrency - this.running.size) +
      Math.max(0, this.options.maxQueued - this.waiting.length)
    );
  }

  healthDetails(): JobQueueHealth {
    return {
      queued: this.waiting.length,
      running: this.running.size,
      concurrency: this.options.concurrency,
      maxQueued: this.options.maxQueued,
      ...this.totals,
    };
  }

  private known(id: string): J {
    const job = this.jobs.get(id);
    if (job === undefined) throw new NotFoundError(this.options.unknownJobName ?? this.options.jobName, id);
    return job;
  }

  private pump(): void {
    while (this.accepting && this.running.size < this.options.concurrency && this.waiting.length > 0) {
      this.launch(this.waiting.shift() as J);
    }
  }

  private launch(job: J): void {
    job.status = 'running';
    job.startedAt = this.clock.now();
    this.options.onStatusChange?.({ ...job });
    const controller = new AbortController();
    const report = (patch: Partial<JobFields<J>>): void => {
      // A run that keeps reporting after it was cancelled must not touch a finished job.
      if (job.status === 'running') Object.assign(job, patch);
    };
    const settle = (status: FinalStatus, error?: string): void => {
      this.finish(job, status, error);
      this.running.delete(job.id);
      this.pump();
    };
    // Called synchronously, so a job that starts at submit is already running when submit returns.
    const settled = new Promise<Partial<JobFields<J>> | void>((resolve) =>
      resolve(this.options.run(job, controller.signal, report)),
    ).then(
      (patch) => {
        if (patch) Object.assign(job, patch);
        settle('completed');
      },
      (error: unknown) => {
        if (error instanceof JobClaimLostError) {
          this.running.delete(job.id);
          this.jobs.delete(job.id);
          this.pump();
        } else if (controller.signal.aborted) settle('cancelled', errorMessage(controller.signal.reason));
        else settle('failed', errorMessage(error));
      },
    );
    this.running.set(job.id, { controller, settled });
  }

  private finish(job: J, status: FinalStatus, error?: string): void {
    job.status = status;
    job.finishedAt = this.clock.now();
    if (error !== undefined) job.error = error;
    this.totals[status] += 1;
    this.options.onStatusChange?.({ ...job });
    this.finished.add(job.id);
    while (this.finished.size > this.options.keepFinished) {
      const oldest = this.finished.values().next().value as string;
      this.finished.delete(oldest);
      this.jobs.delete(oldest);
    }
  }
}
