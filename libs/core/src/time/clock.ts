/**
 * The source of "now" in epoch milliseconds UTC. Everything that reads time takes a Clock, so the backtester can
 * replay history with a simulated clock through exactly the code that trades live.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: simulated time for backtests and deterministic tests. */
export class ManualClock implements Clock {
  private current: number;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  set(ms: number): void {
    if (ms < this.current) throw new RangeError(`ManualClock cannot move backwards: ${ms} < ${this.current}`);
    this.current = ms;
  }

  advance(ms: number): void {
    this.set(this.current + ms);
  }
}
