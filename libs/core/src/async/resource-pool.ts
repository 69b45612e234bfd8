import { ConflictError, RrrError } from '../errors';
import { systemClock, type Clock } from '../time';
import { checkOptions, isFiniteAtLeast, isIntAtLeast } from './option-checks';

export interface ResourcePoolOptions<T> {
  create: () => Promise<T> | T;
  destroy: (resource: T) => Promise<void> | void;
  /** Checked before every hand-out; a resource judged invalid (or whose check throws) is destroyed and replaced. */
  validate?: (resource: T) => Promise<boolean> | boolean;
  /** Resources created by `start()` and kept even when idle. */
  min: number;
  max: number;
  /** How long `acquire` waits before failing with POOL_EXHAUSTED. */
  acquireTimeoutMs: number;
  /** Idle resources above `min` are destroyed after this long; omitted: kept. */
  idleTimeoutMs?: number;
  /** Named in errors. */
  name?: string;
  clock?: Clock;
  /** Errors nobody awaits (a failed destroy, a failed background create); a process warning by default. */
  onError?: (error: unknown, during: 'create' | 'destroy' | 'validate') => void;
}

export interface ResourcePoolStats {
  /** Resources that exist or are being created: available + borrowed + being created or validated. */
  size: number;
  available: number;
  borrowed: number;
  /** Callers waiting in `acquire`. */
  pending: number;
  created: number;
  destroyed: number;
}

interface Waiter<T> {
  settled: boolean;
  resolve: (resource: T) => void;
  reject: (reason: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface IdleEntry<T> {
  resource: T;
  since: number;
}

/**
 * A bounded pool of expensive resources (connections, sessions, workers). Waiters are served first come, first
 * served; idle resources are reused most-recently-released first, so the rest can age out past `idleTimeoutMs`.
 * Resources are told apart by identity, so `create` must return a distinct object each time.
 */
export class ResourcePool<T> {
  readonly name: string;
  private readonly options: ResourcePoolOptions<T>;
  private readonly clock: Clock;
  private readonly onError: (error: unknown, during: 'create' | 'destroy' | 'validate') => void;
  private idle: IdleEntry<T>[] = [];
  private readonly borrowed = new Set<T>();
  private readonly waiters: Waiter<T>[] = [];
  private readonly destroying = new Set<Promise<void>>();
  private creating = 0;
  private validating = 0;
  private created = 0;
  private destroyed = 0;
  private started = false;
  private draining = false;
  private drained: Promise<void> | undefined;
  private resolveDrained: (() => void) | undefined;
  private reapTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ResourcePoolOptions<T>) {
    const { min, max, acquireTimeoutMs, idleTimeoutMs, name = 'pool' } = options;
    checkOptions(`resource pool "${name}"`, [
      { field: 'min', value: min, ok: isIntAtLeast(min, 0), message: 'must be an integer >= 0' },
      {
        field: 'max',
        value: max,
        ok: isIntAtLeast(max, 1) && max >= min,
        message: 'must be an integer >= 1 and >= min',
      },
      {
        field: 'acquireTimeoutMs',
        value: acquireTimeoutMs,
        ok: isFiniteAtLeast(acquireTimeoutMs, 0),
        message: 'must be a finite number >= 0',
      },
      {
        field: 'idleTimeoutMs',
        value: idleTimeoutMs,
        ok: idleTimeoutMs === undefined || isFiniteAtLeast(idleTimeoutMs, 0),
        message: 'must be a finite number >= 0 when given',
      },
    ]);
    this.name = name;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.onError =
      options.onError ??
      ((error, during) =>
        process.emitWarning(`pool "${name}": ${during} failed: ${String(error)}`, 'ResourcePoolWarning'));
  }

  /** Creates the `min` resources; fails (keeping those that were made) if any of them cannot be created. */
  async start(): Promise<void> {
    this.assertOpen();
    this.started = true;
    const missing = Math.max(0, this.options.min - this.size);
    const outcomes = await Promise.allSettled(Array.from({ length: missing }, () => this.createIdle()));
    const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failures.length > 0) {
      throw new RrrError(
        'SERVICE_UNAVAILABLE',
        `pool "${this.name}": could not create ${failures.length} of ${missing} minimum resources: ${String(failures[0].reason)}`,
        { cause: failures[0].reason, details: { name: this.name, failed: failures.length, wanted: missing } },
      );
    }
  }

  /** A resource for exclusive use until `release` (or `discard`). */
  acquire(signal?: AbortSignal): Promise<T> {
    try {
      this.assertOpen();
      signal?.throwIfAborted();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        settled: false,
        resolve: (resource) => {
          this.settle(waiter);
          resolve(resource);
        },
        reject: (reason) => {
          this.settle(waiter);
          reject(reason);
        },
        timer: setTimeout(() => {
          const error = new RrrError(
            'POOL_EXHAUSTED',
            `pool "${this.name}": no resource available within ${this.options.acquireTimeoutMs} ms ` +
              `(${this.borrowed.size} borrowed of max ${this.options.max}, ${this.waiters.length} waiting)`,
            { details: { name: this.name, acquireTimeoutMs: this.options.acquireTimeoutMs, ...this.stats() } },
          );
          this.removeWaiter(waiter);
          waiter.reject(error);
        }, this.options.acquireTimeoutMs),
        signal,
      };
      if (signal) {
        waiter.onAbort = () => {
          this.removeWaiter(waiter);
          waiter.reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.dispatch();
    });
  }

  /** Gives a borrowed resource back for reuse. */
  release(resource: T): void {
    this.takeBack(resource);
    this.putBack(resource);
  }

  /** Gives a borrowed resource back as broken: it is destroyed, and replaced if waiters or `min` need one. */
  discard(resource: T): void {
    this.takeBack(resource);
    this.destroyResource(resource);
    this.replenish();
    this.dispatch();
  }

  /** Runs `fn` with a borrowed resource and releases it however `fn` ends. */
  async use<R>(fn: (resource: T) => Promise<R> | R, signal?: AbortSignal): Promise<R> {
    const resource = await this.acquire(signal);
    try {
      return await fn(resource);
    } finally {
      this.release(resource);
    }
  }

  /**
   * Refuses new acquires, fails the waiting ones, destroys idle resources at once and borrowed ones as they come
   * back; resolves when every resource has been destroyed.
   */
  drain(): Promise<void> {
    if (this.drained) return this.drained;
    this.draining = true;
    if (this.reapTimer !== undefined) clearTimeout(this.reapTimer);
    this.reapTimer = undefined;
    this.drained = new Promise<void>((resolve) => {
      this.resolveDrained = resolve;
    });
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(
        new RrrError('SERVICE_UNAVAILABLE', `pool "${this.name}" is draining`, { details: { name: this.name } }),
      );
    }
    for (const entry of this.idle.splice(0)) this.destroyResource(entry.resource);
    this.checkDrained();
    return this.drained;
  }

  stats(): ResourcePoolStats {
    return {
      size: this.size,
      available: this.idle.length,
      borrowed: this.borrowed.size,
      pending: this.waiters.length,
      created: this.created,
      destroyed: this.destroyed,
    };
  }

  private get size(): number {
    return this.idle.length + this.borrowed.size + this.creating + this.validating;
  }

  private assertOpen(): void {
    if (this.draining) {
      throw new RrrError('SERVICE_UNAVAILABLE', `pool "${this.name}" is draining`, { details: { name: this.name } });
    }
  }

  private settle(waiter: Waiter<T>): void {
    waiter.settled = true;
    clearTimeout(waiter.timer);
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
  }

  private removeWaiter(waiter: Waiter<T>): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
  }

  private takeBack(resource: T): void {
    if (!this.borrowed.delete(resource)) {
      throw new ConflictError(`pool "${this.name}": released a resource that is not borrowed from it`, {
        name: this.name,
      });
    }
  }

  /** Serves waiters in order while there is an idle resource or room to create one. */
  private dispatch(): void {
    while (this.waiters.length > 0 && !this.draining) {
      const entry = this.idle.pop();
      if (entry) this.checkOut(entry.resource, this.waiters.shift() as Waiter<T>);
      else if (this.size < this.options.max) this.createFor(this.waiters.shift() as Waiter<T>);
      else return;
    }
  }

  private checkOut(resource: T, waiter: Waiter<T>): void {
    const validate = this.options.validate;
    if (!validate) {
      this.handOver(resource, waiter);
      return;
    }
    this.validating++;
    void this.judge(validate, resource).then((valid) => {
      this.validating--;
      if (valid) {
        this.handOver(resource, waiter);
        return;
      }
      this.destroyResource(resource);
      // The waiter keeps its place at the head of the queue; the freed slot lets dispatch create a replacement.
      if (!waiter.settled && !this.draining) this.waiters.unshift(waiter);
      this.replenish();
      this.dispatch();
    });
  }

  private async judge(validate: (resource: T) => Promise<boolean> | boolean, resource: T): Promise<boolean> {
    try {
      return (await validate(resource)) === true;
    } catch (error) {
      this.onError(error, 'validate');
      return false;
    }
  }

  private createFor(waiter: Waiter<T>): void {
    this.creating++;
    void this.runCreate().then(
      (resource) => {
        this.creating--;
        this.handOver(resource, waiter);
      },
      (error: unknown) => {
        this.creating--;
        if (waiter.settled) this.onError(error, 'create');
        else waiter.reject(error);
        this.dispatch();
        this.checkDrained();
      },
    );
  }

  private async createIdle(): Promise<void> {
    this.creating++;
    let resource: T;
    try {
      resource = await this.runCreate();
    } finally {
      this.creating--;
    }
    this.putBack(resource);
  }

  private async runCreate(): Promise<T> {
    const resource = await this.options.create();
    this.created++;
    return resource;
  }

  private handOver(resource: T, waiter: Waiter<T>): void {
    if (waiter.settled || this.draining) {
      this.putBack(resource);
      return;
    }
    this.borrowed.add(resource);
    waiter.resolve(resource);
  }

  private putBack(resource: T): void {
    if (this.draining) {
      this.destroyResource(resource);
      return;
    }
    this.idle.push({ resource, since: this.clock.now() });
    this.dispatch();
    this.scheduleReap();
  }

  /** Tops the pool back up to `min` after resources were destroyed; failures are reported, not retried in a loop. */
  private replenish(): void {
    if (!this.started || this.draining) return;
    const missing = this.options.min - this.size;
    for (let i = 0; i < missing; i++) {
      this.createIdle().catch((error: unknown) => this.onError(error, 'create'));
    }
  }

  private destroyResource(resource: T): void {
    this.destroyed++;
    const done = (async () => {
      try {
        await this.options.destroy(resource);
      } catch (error) {
        this.onError(error, 'destroy');
      }
    })();
    this.destroying.add(done);
    void done.finally(() => this.destroying.delete(done));
    this.checkDrained();
  }

  private checkDrained(): void {
    const resolve = this.resolveDrained;
    if (!this.draining || this.size > 0 || !resolve) return;
    this.resolveDrained = undefined;
    void Promise.all(this.destroying).then(() => resolve());
  }

  private scheduleReap(): void {
    const idleTimeoutMs = this.options.idleTimeoutMs;
    if (idleTimeoutMs === undefined || this.reapTimer !== undefined || this.draining) return;
    if (this.idle.length === 0 || this.size <= this.options.min) return;
    const delay = Math.max(1, this.idle[0].since + idleTimeoutMs - this.clock.now());
    this.reapTimer = setTimeout(() => {
      this.reapTimer = undefined;
      this.reap(idleTimeoutMs);
    }, delay);
    // Reaping is housekeeping: it must not keep an otherwise finished process alive.
    this.reapTimer.unref();
  }

  private reap(idleTimeoutMs: number): void {
    const now = this.clock.now();
    // The oldest idle resources sit at the front (hand-outs take from the back).
    while (this.idle.length > 0 && this.size > this.options.min && now - this.idle[0].since >= idleTimeoutMs) {
      const entry = this.idle.shift() as IdleEntry<T>;
      this.destroyResource(entry.resource);
    }
    this.scheduleReap();
  }
}
