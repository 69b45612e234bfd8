import { AsyncLocalStorage } from 'node:async_hooks';
import { DatabaseError } from '../errors';

/** The holds of the running async context: which gates its own code currently holds (nested transactions). */
const heldByContext = new AsyncLocalStorage<ReadonlySet<object>>();

/**
 * Keeps a session's work from interleaving with an open child transaction. An async transaction callback yields
 * between statements; on a connection shared by every caller (better-sqlite3, or one transaction's pg client), a
 * statement issued meanwhile by someone else would silently join that transaction and share its fate. So a
 * transaction holds the gate exclusively (FIFO), and plain statements run at once when the gate is free or queue
 * behind the holders when not.
 */
export class SessionGate {
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;
  /** The hold whose callback is running now; used to catch a callback that calls back into its own gate. */
  private currentHold: object | undefined;

  get isFree(): boolean {
    return this.holders === 0;
  }

  /** Runs `fn` once every earlier holder has finished; later callers wait for it in turn. */
  async exclusive<R>(fn: () => Promise<R> | R): Promise<R> {
    this.assertNotReentrant();
    this.holders++;
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    const hold = {};
    try {
      await previous;
      this.currentHold = hold;
      const held = new Set(heldByContext.getStore() ?? []);
      held.add(hold);
      return await heldByContext.run(held, fn);
    } finally {
      if (this.currentHold === hold) this.currentHold = undefined;
      this.holders--;
      release();
    }
  }

  /** Runs `fn` synchronously when the gate is free (keeping the caller's order), else after the current holders. */
  async shared<R>(fn: () => Promise<R> | R): Promise<R> {
    if (this.holders === 0) return fn();
    return this.exclusive(fn);
  }

  /** Resolves when every holder queued so far has finished. */
  async drain(): Promise<void> {
    if (this.holders === 0) return;
    await this.exclusive(() => undefined);
  }

  /**
   * A transaction callback that uses the outer handle (the database instead of its `tx`) would wait for its own
   * transaction to end: a deadlock. Fail loudly instead.
   */
  private assertNotReentrant(): void {
    if (this.currentHold !== undefined && heldByContext.getStore()?.has(this.currentHold)) {
      throw new DatabaseError(
        'a transaction callback used the outer database handle while its transaction is open; ' +
          'use the transaction handle passed to the callback',
      );
    }
  }
}
