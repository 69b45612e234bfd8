/**
 * Values of one series at past evaluations, enough to look back over a window: it keeps the newest sample at or
 * before the oldest window start it may be asked about, and everything after.
 */
export class SampleHistory<T> {
  private samples: { ts: number; value: T }[] = [];

  push(ts: number, value: T): void {
    this.samples.push({ ts, value });
  }

  get size(): number {
    return this.samples.length;
  }

  /**
   * The sample to measure a window ending now from: the newest one taken at or before `now − windowMs`, or the
   * oldest one kept when history does not reach that far back yet.
   */
  baseline(now: number, windowMs: number): { ts: number; value: T } | undefined {
    const start = now - windowMs;
    let found: { ts: number; value: T } | undefined;
    for (const sample of this.samples) {
      if (sample.ts <= start) found = sample;
      else break;
    }
    return found ?? this.samples[0];
  }

  /** Drops samples no window of `windowMs` ending at or after `now` can need. */
  prune(now: number, windowMs: number): void {
    const start = now - windowMs;
    let keepFrom = 0;
    for (let i = 0; i < this.samples.length; i++) if (this.samples[i].ts <= start) keepFrom = i;
    if (keepFrom > 0) this.samples = this.samples.slice(keepFrom);
  }
}
