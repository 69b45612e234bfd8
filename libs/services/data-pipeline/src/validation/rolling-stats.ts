/**
 * Mean and sample standard deviation of the last `capacity` values, in O(1) per value: a ring buffer with running
 * sums. The sums are rebuilt from the buffer every `capacity` pushes so floating-point drift cannot accumulate over a
 * long series.
 */
export class RollingStats {
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;
  private sum = 0;
  private sumSquares = 0;
  private sinceRebuild = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  get count(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.capacity) {
      const old = this.values[this.next];
      this.sum -= old;
      this.sumSquares -= old * old;
    } else {
      this.size++;
    }
    this.values[this.next] = value;
    this.sum += value;
    this.sumSquares += value * value;
    this.next = (this.next + 1) % this.capacity;
    if (++this.sinceRebuild >= this.capacity) this.rebuild();
  }

  mean(): number {
    return this.size === 0 ? Number.NaN : this.sum / this.size;
  }

  /** Sample standard deviation (n − 1); NaN below two values. */
  std(): number {
    if (this.size < 2) return Number.NaN;
    const mean = this.sum / this.size;
    const variance = (this.sumSquares - this.size * mean * mean) / (this.size - 1);
    return variance > 0 ? Math.sqrt(variance) : 0;
  }

  private rebuild(): void {
    this.sinceRebuild = 0;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < this.size; i++) {
      const v = this.values[i];
      sum += v;
      sumSquares += v * v;
    }
    this.sum = sum;
    this.sumSquares = sumSquares;
  }
}
