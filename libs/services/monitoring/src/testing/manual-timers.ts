import { ManualClock } from '@rrr/core';
import type { MonitorTimers } from '../timers/monitor-timers';

interface PendingTimer {
  id: number;
  due: number;
  callback: () => unknown;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Timers that fire only when the test moves time: `advance(ms)` moves the ManualClock to each due timer in turn and
 * runs it, awaiting the promise a callback returns (the periodic loops return their run), so after `await advance()`
 * every run that was due has finished. Deterministic: equal due times fire in scheduling order.
 */
export class ManualTimers implements MonitorTimers {
  private pending: PendingTimer[] = [];
  private nextId = 1;

  constructor(readonly clock: ManualClock = new ManualClock(0)) {}

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, due: this.clock.now() + Math.max(0, ms), callback };
    this.pending.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((timer) => timer.id !== handle);
  }

  /** Timers scheduled and not yet fired or cleared. */
  get size(): number {
    return this.pending.length;
  }

  /** Due times of the pending timers, soonest first. */
  dueTimes(): number[] {
    return this.pending.map((timer) => timer.due).sort((a, b) => a - b);
  }

  /** Lets pending promise callbacks run (one macrotask turn), so work started before it has scheduled its timers. */
  async settle(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Moves the clock forward by `ms`, firing (and awaiting) every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (;;) {
      const next = this.soonest();
      if (next === undefined || next.due > target) break;
      this.pending = this.pending.filter((timer) => timer !== next);
      if (next.due > this.clock.now()) this.clock.set(next.due);
      const result = next.callback();
      if (isThenable(result)) await result;
    }
    this.clock.set(target);
  }

  private soonest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.pending) if (best === undefined || timer.due < best.due) best = timer;
    return best;
  }
}
