import type { RrrLogger } from '../logging';

/**
 * One chain of writes a service does not wait on (stamps, status changes), run one after another so the stored rows
 * follow the changes in the order they happened. A failed write is logged and the chain goes on; reads wait for
 * `settled()` so they see this process's own changes.
 */
export class OrderedWrites {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly logger?: Pick<RrrLogger, 'error'>) {}

  /** Queues `write` after the others and resolves (or rejects) with its own outcome; a failure is also logged. */
  chained<R>(what: string, write: () => Promise<R>): Promise<R> {
    const outcome = this.tail.then(write);
    this.tail = outcome.then(
      () => undefined,
      (error: unknown) => this.logger?.error({ err: error }, `could not ${what}`),
    );
    return outcome;
  }

  /** Queues `write` nobody awaits (its failure is logged by the chain). */
  persist = (what: string, write: () => Promise<unknown>): void => {
    this.chained(what, write).catch(() => undefined);
  };

  /** Resolves once every write queued so far has finished. */
  settled(): Promise<void> {
    return this.tail;
  }
}
