import { ValidationError, type Bar } from '@rrr/core';

/** A fixed-capacity ring of the newest bars of one series. */
class BarRing {
  private readonly slots: (Bar | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<Bar | undefined>(capacity);
  }

  push(bar: Bar): void {
    this.slots[this.next] = bar;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** The newest `n` bars, oldest first. */
  latest(n: number): Bar[] {
    const count = Math.min(Math.max(0, Math.floor(n)), this.size);
    const out = new Array<Bar>(count);
    let index = (this.next - count + this.capacity) % this.capacity;
    for (let i = 0; i < count; i++) {
      out[i] = this.slots[index] as Bar;
      index = (index + 1) % this.capacity;
    }
    return out;
  }

  get length(): number {
    return this.size;
  }
}

/**
 * The newest bars of every live series (symbol + interval), each in a bounded ring buffer: memory stays constant
 * however long the feed runs, and `latest` costs O(n) for the n bars asked for.
 */
export class RollingBarWindows {
  private readonly rings = new Map<string, BarRing>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new ValidationError('rolling bar windows', [
        { field: 'capacity', message: 'must be an integer >= 1', value: capacity },
      ]);
    }
  }

  push(bar: Bar): void {
    const key = `${bar.symbol}|${bar.interval}`;
    let ring = this.rings.get(key);
    if (ring === undefined) {
      ring = new BarRing(this.capacity);
      this.rings.set(key, ring);
    }
    ring.push(bar);
  }

  /** The newest `n` bars of a series, oldest first (fewer when fewer have arrived; none for an unknown series). */
  latest(symbol: string, n: number, interval: string): Bar[] {
    return this.rings.get(`${symbol}|${interval}`)?.latest(n) ?? [];
  }

  /** Series held, with how many bars each has. */
  series(): { symbol: string; interval: string; bars: number }[] {
    return [...this.rings.entries()].map(([key, ring]) => {
      const [symbol, interval] = key.split('|');
      return { symbol, interval, bars: ring.length };
    });
  }
}
