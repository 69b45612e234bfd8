import type { Bar } from '@rrr/core';
import { makeBar } from '../testing/make-bar';
import { BollingerReversionStrategy } from './bollinger-reversion-strategy';
import { BuyAndHoldStrategy } from './buy-and-hold-strategy';
import { PredictorStrategy, type PredictionLike } from './predictor-strategy';
import { SmaCrossStrategy } from './sma-cross-strategy';
import type { Strategy } from './strategy';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const context = (i: number) => ({ now: T0 + (i + 1) * DAY, position: () => 0 });
const bars = (closes: number[], symbol = 'SPX'): Bar[] =>
  closes.map((c, i) => makeBar(symbol, T0 + i * DAY, { open: c, close: c }, '1d'));

async function run(strategy: Strategy, series: Bar[]) {
  const out: Array<{ i: number; direction: string; price?: number; source: string }> = [];
  for (const [i, bar] of series.entries()) {
    for (const s of await strategy.onBar(bar, context(i)))
      out.push({ i, direction: s.direction, price: s.price, source: s.source });
  }
  return out;
}

const sma = (xs: number[], end: number, n: number) => xs.slice(end - n + 1, end + 1).reduce((a, b) => a + b, 0) / n;

describe('SmaCrossStrategy (20/50)', () => {
  // Down for 60 days, then up: the 20-day average crosses above the 50-day one partway up.
  const closes = [
    ...Array.from({ length: 60 }, (_, i) => 200 - i),
    ...Array.from({ length: 60 }, (_, i) => 141 + 2 * i),
  ];

  it('signals flat once warm, then long on the bar where SMA(20) first exceeds SMA(50)', async () => {
    const strategy = new SmaCrossStrategy();
    expect([strategy.id, strategy.warmupBars]).toEqual(['sma-cross(20,50)', 50]);
    const signals = await run(strategy, bars(closes));
    const cross = closes.findIndex((_, i) => i >= 49 && sma(closes, i, 20) > sma(closes, i, 50));
    expect(cross).toBeGreaterThan(60);
    expect(signals).toEqual([
      { i: 49, direction: 'flat', price: closes[49], source: 'sma-cross(20,50)' },
      { i: cross, direction: 'long', price: closes[cross], source: 'sma-cross(20,50)' },
    ]);
  });

  it('goes short instead of flat when allowed, and keeps symbols apart', async () => {
    const strategy = new SmaCrossStrategy({ fast: 2, slow: 3, allowShort: true });
    const signals = await run(strategy, [...bars([10, 9, 8, 9, 10]), ...bars([1, 2, 3], 'AAPL')]);
    expect(signals.map((s) => s.direction)).toEqual(['short', 'long', 'long']);
    expect(() => new SmaCrossStrategy({ fast: 50, slow: 20 })).toThrow(/must be an integer > fast/);
  });
});

describe('signal reasons', () => {
  it('show indicator levels to 8 significant digits, without float noise', async () => {
    // Averages of these closes are not exact in binary, so unrounded they print with float noise.
    const drifting = [0.1, 0.2, 0.3, 0.4, 0.7, 0.8];
    const strategy = new SmaCrossStrategy({ fast: 2, slow: 5 });
    const reasons: string[] = [];
    for (const [i, bar] of bars(drifting).entries()) {
      for (const s of await strategy.onBar(bar, context(i))) reasons.push(s.reason ?? '');
    }
    // The first regime (long) on the fifth bar, where SMA(5) is 0.33999999999999997 unrounded; the trend holds.
    expect(reasons).toEqual(['SMA(2) 0.55 > SMA(5) 0.34']);
  });
});

describe('BollingerReversionStrategy (20, 2σ)', () => {
  it('goes long on a close below the lower band (population σ) and flat back at the middle band', async () => {
    const closes = [...Array.from({ length: 20 }, (_, i) => 100 + (i % 2 === 0 ? 1 : -1)), 90, 95, 101];
    const window = closes.slice(1, 21);
    const mean = window.reduce((a, b) => a + b, 0) / 20;
    const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / 20);
    expect(90).toBeLessThan(mean - 2 * sd);
    const signals = await run(new BollingerReversionStrategy(), bars(closes));
    expect(signals.map((s) => [s.i, s.direction])).toEqual([
      [20, 'long'],
      [22, 'flat'],
    ]);
  });

  it('sells stretches above the upper band only when shorting is allowed', async () => {
    const closes = [...Array.from({ length: 20 }, (_, i) => 100 + (i % 2 === 0 ? 1 : -1)), 110, 100];
    expect(await run(new BollingerReversionStrategy(), bars(closes))).toEqual([]);
    const short = await run(new BollingerReversionStrategy({ allowShort: true }), bars(closes));
    expect(short.map((s) => [s.i, s.direction])).toEqual([
      [20, 'short'],
      [21, 'flat'],
    ]);
  });
});

describe('PredictorStrategy', () => {
  it('passes the last historyBars bars to the injected predictor and trades the edge P(up) − P(down)', async () => {
    const seen: number[] = [];
    const views: PredictionLike[] = [
      { probabilities: { down: 0.2, flat: 0.5, up: 0.3 } },
      { probabilities: { down: 0.1, flat: 0.4, up: 0.5 }, model: 'lstm@1' },
      { probabilities: { down: 0.2, flat: 0.5, up: 0.3 } },
      { probabilities: { down: 0.5, flat: 0.2, up: 0.3 } },
    ];
    const strategy = new PredictorStrategy({
      name: 'lstm@1',
      historyBars: 3,
      predict: async (_bar, history) => {
        seen.push(history.length);
        return views[seen.length - 1];
      },
    });
    const signals = await run(strategy, bars([1, 2, 3, 4, 5, 6]));
    expect(seen).toEqual([3, 3, 3, 3]);
    expect(signals.map((s) => [s.i, s.direction])).toEqual([
      [3, 'long'],
      [5, 'flat'],
    ]);
    expect(strategy.id).toBe('predictor(lstm@1)');
  });

  it('ignores predictions below the confidence floor and refuses bad options', async () => {
    const strategy = new PredictorStrategy({
      historyBars: 1,
      minConfidence: 0.6,
      predict: () => ({ probabilities: { down: 0, flat: 0.1, up: 0.9 }, confidence: 0.5 }),
    });
    expect(await run(strategy, bars([1, 2]))).toEqual([]);
    expect(() => new PredictorStrategy({ predict: () => undefined, entryEdge: 0 })).toThrow(
      /entryEdge: must be in \(0, 1\]/,
    );
  });
});

describe('BuyAndHoldStrategy', () => {
  it('buys each symbol once', async () => {
    const signals = await run(new BuyAndHoldStrategy(), [...bars([1, 2]), ...bars([3], 'AAPL')]);
    expect(signals.map((s) => [s.i, s.direction])).toEqual([
      [0, 'long'],
      [2, 'long'],
    ]);
  });
});
