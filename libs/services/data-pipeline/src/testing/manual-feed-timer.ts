import type { ManualClock } from '@rrr/core';
import type { FeedTimer } from '../live/feed-timer';

/** A feed timer driven by the test: `fire()` runs the pending callback, as the event loop would when it is due. */
export class ManualFeedTimer implements FeedTimer {
  pending: { callback: () => void; ms: number } | undefined;

  setTimeout(callback: () => void, ms: number): unknown {
    this.pending = { callback, ms };
    return this.pending;
  }

  clearTimeout(handle: unknown): void {
    if (this.pending === handle) this.pending = undefined;
  }

  /** Advances `clock` to each due time and runs the callback there, `times` times in a row. */
  fire(clock: ManualClock, times = 1): void {
    for (let i = 0; i < times; i++) {
      const due = this.pending;
      if (due === undefined) throw new Error('nothing scheduled');
      this.pending = undefined;
      clock.advance(due.ms);
      due.callback();
    }
  }
}
