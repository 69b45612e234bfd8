/*
 * Incremental building blocks for the indicators trading-signals does not compute the classic way (its EMA seeds from
 * the first price; DEMA, TEMA, MACD, Keltner inherit that). Each update takes O(window) at most and keeps O(window)
 * state. The arithmetic mirrors indicator-series.ts term for term, so both paths agree exactly.
 */
import {
  cciFrom,
  directionalIndex,
  directionalMovement,
  mfiFrom,
  obvStep,
  stochasticK,
  trueRange,
  typicalPrice,
  vwapFrom,
  williamsR,
} from './indicator-series';

/** The last `capacity` values, readable oldest first. */
export class RollingWindow {
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  push(value: number): void {
    if (this.count < this.capacity) {
      this.values[(this.start + this.count) % this.capacity] = value;
      this.count += 1;
    } else {
      this.values[this.start] = value;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The i-th value, 0 being the oldest held. */
  at(i: number): number {
    return this.values[(this.start + i) % this.capacity];
  }

  newest(): number {
    return this.at(this.count - 1);
  }

  sum(): number {
    let sum = 0;
    for (let i = 0; i < this.count; i += 1) sum += this.at(i);
    return sum;
  }

  mean(): number {
    return this.sum() / this.count;
  }

  max(): number {
    let max = this.at(0);
    for (let i = 1; i < this.count; i += 1) if (this.at(i) > max) max = this.at(i);
    return max;
  }

  min(): number {
    let min = this.at(0);
    for (let i = 1; i < this.count; i += 1) if (this.at(i) < min) min = this.at(i);
    return min;
  }

  /** Population (n) or sample (n − 1) standard deviation around `mean`. */
  deviation(mean: number, sample: boolean): number {
    let sum = 0;
    for (let i = 0; i < this.count; i += 1) {
      const d = this.at(i) - mean;
      sum += d * d;
    }
    return Math.sqrt(sum / (sample ? this.count - 1 : this.count));
  }
}

/** SMA of the last `period` values; NaN until `period` values have arrived. */
export class StreamingSma {
  private readonly window: RollingWindow;

  constructor(readonly period: number) {
    this.window = new RollingWindow(period);
  }

  update(value: number): number {
    this.window.push(value);
    return this.window.full ? this.window.mean() : Number.NaN;
  }
}

/** Recursive average seeded with the SMA of its first `period` inputs. */
class SeededRecursiveAverage {
  private seed: number[] = [];
  value = Number.NaN;

  constructor(
    private readonly period: number,
    private readonly factor: number,
  ) {}

  update(x: number): number {
    if (!Number.isNaN(this.value)) {
      this.value = (x - this.value) * this.factor + this.value;
      return this.value;
    }
    this.seed.push(x);
    if (this.seed.length === this.period) {
      let sum = 0;
      for (const v of this.seed) sum += v;
      this.value = sum / this.period;
      this.seed = [];
    }
    return this.value;
  }
}

/** EMA, α = 2 / (period + 1), SMA-seeded. */
export class SmaSeededEma extends SeededRecursiveAverage {
  constructor(period: number) {
    super(period, 2 / (period + 1));
  }
}

/** Wilder's smoothing, α = 1 / period, SMA-seeded. */
export class WilderAverage extends SeededRecursiveAverage {
  constructor(period: number) {
    super(period, 1 / period);
  }
}

/** EMA, EMA of EMA and EMA of that: what DEMA and TEMA are made of. */
export class EmaCascade {
  private readonly e1: SmaSeededEma;
  private readonly e2: SmaSeededEma;
  private readonly e3: SmaSeededEma;

  constructor(period: number) {
    this.e1 = new SmaSeededEma(period);
    this.e2 = new SmaSeededEma(period);
    this.e3 = new SmaSeededEma(period);
  }

  update(value: number): { ema: number; dema: number; tema: number } {
    const e1 = this.e1.update(value);
    const e2 = Number.isNaN(e1) ? Number.NaN : this.e2.update(e1);
    const e3 = Number.isNaN(e2) ? Number.NaN : this.e3.update(e2);
    return { ema: e1, dema: 2 * e1 - e2, tema: 3 * e1 - 3 * e2 + e3 };
  }
}

export class StreamingMacd {
  private readonly fast: SmaSeededEma;
  private readonly slow: SmaSeededEma;
  private readonly signal: SmaSeededEma;

  constructor(fast: number, slow: number, signal: number) {
    this.fast = new SmaSeededEma(fast);
    this.slow = new SmaSeededEma(slow);
    this.signal = new SmaSeededEma(signal);
  }

  update(close: number): { macd: number; signal: number; histogram: number } {
    const fast = this.fast.update(close);
    const macd = fast - this.slow.update(close);
    const signal = Number.isNaN(macd) ? Number.NaN : this.signal.update(macd);
    return { macd, signal, histogram: macd - signal };
  }
}

export interface HighLowClose {
  high: number;
  low: number;
  close: number;
}

export interface Ohlcv extends HighLowClose {
  volume: number;
}

/** Highest high and lowest low of the last `period` bars. */
export class HighLowWindow {
  private readonly highs: RollingWindow;
  private readonly lows: RollingWindow;

  constructor(period: number) {
    this.highs = new RollingWindow(period);
    this.lows = new RollingWindow(period);
  }

  update(bar: HighLowClose): { highest: number; lowest: number } {
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (!this.highs.full) return { highest: Number.NaN, lowest: Number.NaN };
    return { highest: this.highs.max(), lowest: this.lows.min() };
  }
}

export class StreamingStochastic {
  private readonly range: HighLowWindow;
  private readonly d: StreamingSma;

  constructor(period: number, dPeriod: number) {
    this.range = new HighLowWindow(period);
    this.d = new StreamingSma(dPeriod);
  }

  update(bar: HighLowClose): { k: number; d: number } {
    const { highest, lowest } = this.range.update(bar);
    if (Number.isNaN(highest)) return { k: Number.NaN, d: Number.NaN };
    const k = stochasticK(bar.close, highest, lowest);
    return { k, d: this.d.update(k) };
  }
}

export class StreamingWilliamsR {
  private readonly range: HighLowWindow;

  constructor(period: number) {
    this.range = new HighLowWindow(period);
  }

  update(bar: HighLowClose): number {
    const { highest, lowest } = this.range.update(bar);
    return Number.isNaN(highest) ? Number.NaN : williamsR(bar.close, highest, lowest);
  }
}

/** Rate of change in percent against the close `period` bars back. */
export class StreamingRoc {
  private readonly closes: RollingWindow;

  constructor(period: number) {
    this.closes = new RollingWindow(period + 1);
  }

  update(close: number): number {
    this.closes.push(close);
    if (!this.closes.full) return Number.NaN;
    const past = this.closes.at(0);
    return ((close - past) / past) * 100;
  }
}

/** ln(close / close `period` bars back). */
export class StreamingLogReturn {
  private readonly closes: RollingWindow;

  constructor(period: number) {
    this.closes = new RollingWindow(period + 1);
  }

  update(close: number): number {
    this.closes.push(close);
    return this.closes.full ? Math.log(close / this.closes.at(0)) : Number.NaN;
  }
}

export class StreamingCci {
  private readonly tps: RollingWindow;

  constructor(period: number) {
    this.tps = new RollingWindow(period);
  }

  update(bar: HighLowClose): number {
    const tp = typicalPrice(bar.high, bar.low, bar.close);
    this.tps.push(tp);
    if (!this.tps.full) return Number.NaN;
    const mean = this.tps.mean();
    let deviation = 0;
    for (let i = 0; i < this.tps.size; i += 1) deviation += Math.abs(this.tps.at(i) - mean);
    return cciFrom(tp, mean, deviation / this.tps.size);
  }
}

export class StreamingAdx {
  private previous: HighLowClose | undefined;
  private readonly plusDm: WilderAverage;
  private readonly minusDm: WilderAverage;
  private readonly tr: WilderAverage;
  private readonly adx: WilderAverage;

  constructor(period: number) {
    this.plusDm = new WilderAverage(period);
    this.minusDm = new WilderAverage(period);
    this.tr = new WilderAverage(period);
    this.adx = new WilderAverage(period);
  }

  update(bar: HighLowClose): { adx: number; plusDi: number; minusDi: number } {
    const previous = this.previous;
    this.previous = bar;
    if (previous === undefined) return { adx: Number.NaN, plusDi: Number.NaN, minusDi: Number.NaN };
    const [plus, minus] = directionalMovement(bar.high, bar.low, previous.high, previous.low);
    const sPlus = this.plusDm.update(plus);
    const sMinus = this.minusDm.update(minus);
    const sTr = this.tr.update(trueRange(bar.high, bar.low, previous.close));
    if (Number.isNaN(sTr)) return { adx: Number.NaN, plusDi: Number.NaN, minusDi: Number.NaN };
    const di = directionalIndex(sPlus, sMinus, sTr);
    return { adx: this.adx.update(di.dx), plusDi: di.plusDi, minusDi: di.minusDi };
  }
}

/** Aroon over the last period + 1 bars; ties go to the most recent extreme, as in the batch form. */
export class StreamingAroon {
  private readonly highs: RollingWindow;
  private readonly lows: RollingWindow;

  constructor(private readonly period: number) {
    this.highs = new RollingWindow(period + 1);
    this.lows = new RollingWindow(period + 1);
  }

  update(bar: HighLowClose): { up: number; down: number } {
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (!this.highs.full) return { up: Number.NaN, down: Number.NaN };
    let highAt = 0;
    let lowAt = 0;
    for (let i = 1; i <= this.period; i += 1) {
      if (this.highs.at(i) >= this.highs.at(highAt)) highAt = i;
      if (this.lows.at(i) <= this.lows.at(lowAt)) lowAt = i;
    }
    return {
      up: (100 * (this.period - (this.period - highAt))) / this.period,
      down: (100 * (this.period - (this.period - lowAt))) / this.period,
    };
  }
}

/** OBV change over `period` bars and the volume traded over the same bars. */
export class StreamingObvFlow {
  private obv = 0;
  private previousClose: number | undefined;
  private readonly history: RollingWindow;
  private readonly volumes: RollingWindow;

  constructor(period: number) {
    this.history = new RollingWindow(period + 1);
    this.volumes = new RollingWindow(period);
  }

  update(bar: Ohlcv): { change: number; volume: number } {
    if (this.previousClose !== undefined) {
      this.obv = this.obv + obvStep(bar.close, this.previousClose, bar.volume);
    }
    this.previousClose = bar.close;
    this.history.push(this.obv);
    this.volumes.push(bar.volume);
    return {
      change: this.history.full ? this.obv - this.history.at(0) : Number.NaN,
      volume: this.volumes.full ? this.volumes.sum() : Number.NaN,
    };
  }
}

export class StreamingRollingVwap {
  private readonly priceVolume: RollingWindow;
  private readonly volume: RollingWindow;

  constructor(period: number) {
    this.priceVolume = new RollingWindow(period);
    this.volume = new RollingWindow(period);
  }

  update(bar: Ohlcv): number {
    const tp = typicalPrice(bar.high, bar.low, bar.close);
    this.priceVolume.push(tp * bar.volume);
    this.volume.push(bar.volume);
    return this.volume.full ? vwapFrom(this.priceVolume.sum(), this.volume.sum(), tp) : Number.NaN;
  }
}

export class StreamingMfi {
  private readonly tps: RollingWindow;
  private readonly volumes: RollingWindow;

  constructor(period: number) {
    this.tps = new RollingWindow(period + 1);
    this.volumes = new RollingWindow(period + 1);
  }

  update(bar: Ohlcv): number {
    this.tps.push(typicalPrice(bar.high, bar.low, bar.close));
    this.volumes.push(bar.volume);
    if (!this.tps.full) return Number.NaN;
    let positive = 0;
    let negative = 0;
    for (let i = 1; i < this.tps.size; i += 1) {
      const tp = this.tps.at(i);
      const flow = tp * this.volumes.at(i);
      if (tp > this.tps.at(i - 1)) positive += flow;
      else if (tp < this.tps.at(i - 1)) negative += flow;
    }
    return mfiFrom(positive, negative);
  }
}

/** Sample standard deviation of the last `period` one-bar log returns. */
export class StreamingRealisedVolatility {
  private readonly oneBar = new StreamingLogReturn(1);
  private readonly returns: RollingWindow;

  constructor(period: number) {
    this.returns = new RollingWindow(period);
  }

  update(close: number): number {
    const r = this.oneBar.update(close);
    if (Number.isNaN(r)) return Number.NaN;
    this.returns.push(r);
    return this.returns.full ? this.returns.deviation(this.returns.mean(), true) : Number.NaN;
  }
}

/** Mean and sample standard deviation of the last `period` values. */
export class StreamingMeanDeviation {
  private readonly values: RollingWindow;

  constructor(period: number) {
    this.values = new RollingWindow(period);
  }

  update(value: number): { mean: number; deviation: number } {
    this.values.push(value);
    if (!this.values.full) return { mean: Number.NaN, deviation: Number.NaN };
    const mean = this.values.mean();
    return { mean, deviation: this.values.deviation(mean, true) };
  }
}
