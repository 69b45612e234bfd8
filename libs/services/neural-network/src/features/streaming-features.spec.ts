import { ATR, BollingerBands, RSI, SMA } from 'trading-signals';
import { loadAaplBars, loadSp500Bars } from '../testing/daily-csv-bars';
import { computeFeatureRows, computeIndicatorSeries, indicatorValuesAt, toOhlcvColumns } from './compute-features';
import { FEATURE_COUNT, FEATURE_WARMUP_BARS } from './feature-set';
import { atrSeries, bollingerSeries, rsiSeries, smaSeries } from './indicator-series';
import { INDICATOR_KEYS } from './indicator-values';
import { StreamingFeatures } from './streaming-features';
import type { Bar } from '@rrr/core';

/** The first place where streaming and batch differ, or undefined; exact comparison (Object.is, so NaN = NaN). */
function firstDifference(bars: readonly Bar[]): string | undefined {
  const series = computeIndicatorSeries(toOhlcvColumns(bars));
  const batchRows = computeFeatureRows(bars);
  const stream = new StreamingFeatures();
  for (let t = 0; t < bars.length; t += 1) {
    const live = stream.updateIndicators(bars[t]);
    const batch = indicatorValuesAt(series, t);
    for (const key of INDICATOR_KEYS) {
      if (!Object.is(live[key], batch[key])) return `bar ${t} ${key}: streaming ${live[key]} vs batch ${batch[key]}`;
    }
  }
  const rowStream = new StreamingFeatures();
  for (let t = 0; t < bars.length; t += 1) {
    const row = rowStream.update(bars[t]);
    const batch = batchRows[t];
    if (row === null || batch === null) {
      if (row !== batch)
        return `bar ${t}: streaming row ${row === null ? 'null' : 'ready'}, batch ${batch === null ? 'null' : 'ready'}`;
      continue;
    }
    for (let j = 0; j < FEATURE_COUNT; j += 1) {
      if (!Object.is(row[j], batch[j])) return `bar ${t} feature ${j}: ${row[j]} vs ${batch[j]}`;
    }
  }
  return undefined;
}

describe('streaming and batch features', () => {
  const spx = loadSp500Bars();

  it('agree exactly, indicator by indicator and feature by feature, on 5,105 S&P 500 daily bars', () => {
    expect(spx).toHaveLength(5105);
    expect(firstDifference(spx)).toBeUndefined();
  });

  it('agree exactly on AAPL daily bars', () => {
    expect(firstDifference(loadAaplBars())).toBeUndefined();
  });

  it('produce the first complete row at bar FEATURE_WARMUP_BARS − 1 and finite values from then on', () => {
    const rows = computeFeatureRows(spx);
    expect(FEATURE_WARMUP_BARS).toBe(58);
    expect(rows.findIndex((r) => r !== null)).toBe(FEATURE_WARMUP_BARS - 1);
    const complete = rows.slice(FEATURE_WARMUP_BARS - 1);
    expect(complete.every((r) => r !== null && r.length === FEATURE_COUNT && r.every(Number.isFinite))).toBe(true);
  });

  it("batch SMA, Bollinger, ATR and RSI equal trading-signals' own streaming results bit for bit", () => {
    const bars = spx.slice(0, 400);
    const c = toOhlcvColumns(bars);
    const [sma, bb, atr, rsi] = [new SMA(20), new BollingerBands(20, 2), new ATR(14), new RSI(14)];
    const batch = {
      sma: smaSeries(c.close, 20),
      bb: bollingerSeries(c.close, 20, 2),
      atr: atrSeries(c, 14),
      rsi: rsiSeries(c.close, 14),
    };
    bars.forEach((bar, t) => {
      expect(sma.add(bar.close) ?? NaN).toBe(batch.sma[t]);
      expect(bb.add(bar.close)?.upper ?? NaN).toBe(batch.bb.upper[t]);
      expect(atr.add(bar) ?? NaN).toBe(batch.atr[t]);
      expect(rsi.add(bar.close) ?? NaN).toBe(batch.rsi[t]);
    });
  });
});
