/**
 * Group commit: callers enqueue units of work and each gets a promise; whatever accumulated while the previous batch
 * was being committed goes into the next batch, committed together. A batch starts on the next turn of the event
 * loop (no timer, no wall-clock wait); under load the per-commit cost is shared. Units commit in enqueue order, and a
 * failing batch rejects exactly the callers whose units were in it.
 */
export class GroupCommit<T> {
  private queue: Array<{ unit: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly commit: (units: T[]) => Promise<void>,
    private readonly maxBatch = 1_000,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  add(unit: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
      if (!this.running) {
        this.running = true;
        // setImmediate, not a timer: the batch starts once the current run of promise callbacks has settled, so an
        // order's insert and the venue's answer that follows it a few microtasks later share one transaction.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Resolves once nothing is queued or committing. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.commit(batch.map((b) => b.unit));
        for (const b of batch) b.resolve();
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
