import {
  atrSeries,
  bollingerSeries,
  cciSeries,
  demaSeries,
  emaSeries,
  mfiSeries,
  obvSeries,
  rocSeries,
  rsiSeries,
  smaSeries,
  stochasticSeries,
  temaSeries,
  williamsRSeries,
  type OhlcvColumns,
} from './indicator-series';

function columns(rows: [number, number, number, number][]): OhlcvColumns {
  // [high, low, close, volume]; open is not used by any indicator.
  return {
    open: Float64Array.from(rows, (r) => r[2]),
    high: Float64Array.from(rows, (r) => r[0]),
    low: Float64Array.from(rows, (r) => r[1]),
    close: Float64Array.from(rows, (r) => r[2]),
    volume: Float64Array.from(rows, (r) => r[3]),
  };
}

const defined = (values: Float64Array) => Array.from(values).filter((v) => !Number.isNaN(v));

describe('batch indicators against hand-computed values', () => {
  it('SMA averages the window and is undefined before it fills', () => {
    expect(Array.from(smaSeries([1, 2, 3, 4, 5], 3))).toEqual([NaN, NaN, 2, 3, 4]);
  });

  it('EMA seeds with the SMA of the first period values, then applies α = 2/(n+1)', () => {
    // Seed (10+11+12)/3 = 11; α = 0.5: 11 + 0.5·(13 − 11) = 12; 12 + 0.5·(20 − 12) = 16.
    expect(Array.from(emaSeries([10, 11, 12, 13, 20], 3))).toEqual([NaN, NaN, 11, 12, 16]);
  });

  it('DEMA and TEMA combine the EMA cascade', () => {
    const x = [10, 11, 12, 13, 20];
    const a = 2 / 3; // α of a 2-period EMA
    const e1 = [NaN, 10.5]; // seed (10 + 11) / 2
    for (let t = 2; t < x.length; t += 1) e1.push(e1[t - 1] + a * (x[t] - e1[t - 1]));
    const e2 = [NaN, NaN, (e1[1] + e1[2]) / 2];
    for (let t = 3; t < x.length; t += 1) e2.push(e2[t - 1] + a * (e1[t] - e2[t - 1]));
    const e3 = [NaN, NaN, NaN, (e2[2] + e2[3]) / 2];
    e3.push(e3[3] + a * (e2[4] - e3[3]));

    const dema = demaSeries(x, 2);
    const tema = temaSeries(x, 2);
    expect(dema[1]).toBeNaN();
    expect(tema[2]).toBeNaN();
    for (const t of [2, 3, 4]) expect(dema[t]).toBeCloseTo(2 * e1[t] - e2[t], 12);
    for (const t of [3, 4]) expect(tema[t]).toBeCloseTo(3 * e1[t] - 3 * e2[t] + e3[t], 12);
  });

  it("RSI matches Wilder's worked example (StockCharts table, 14 periods)", () => {
    const closes = [
      44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0,
      46.03, 46.41, 46.22, 45.64,
    ];
    const rsi = rsiSeries(closes, 14);
    expect(rsi[13]).toBeNaN();
    expect(defined(rsi).map((v) => Number(v.toFixed(2)))).toEqual([70.46, 66.25, 66.48, 69.35, 66.29, 57.92]);
  });

  it('RSI is 100 when the window had no losing bar', () => {
    expect(rsiSeries([1, 2, 3, 4], 2)[2]).toBe(100);
  });

  it('ATR starts from the first bar range and smooths true ranges the Wilder way', () => {
    const c = columns([
      [10, 8, 9, 1],
      [12, 9, 11, 1],
      [11, 7, 8, 1],
    ]);
    // TR: 2, max(3, |12−9|, |9−9|) = 3, max(4, |11−11|, |7−11|) = 4. ATR(2): (2+3)/2 = 2.5, then 2.5 + (4−2.5)/2 = 3.25.
    expect(Array.from(atrSeries(c, 2))).toEqual([NaN, 2.5, 3.25]);
  });

  it('Bollinger bands use the population standard deviation', () => {
    const bands = bollingerSeries([1, 2, 3, 4, 5], 5, 2);
    expect(bands.middle[4]).toBe(3);
    expect(bands.upper[4]).toBeCloseTo(3 + 2 * Math.sqrt(2), 12);
    expect(bands.lower[4]).toBeCloseTo(3 - 2 * Math.sqrt(2), 12);
  });

  it('stochastic %K, %D and Williams %R read the close within the high-low range', () => {
    const c = columns([
      [10, 5, 6, 1],
      [12, 6, 11, 1],
      [11, 8, 9, 1],
      [13, 9, 13, 1],
    ]);
    const { k, d } = stochasticSeries(c, 2, 2);
    // Bar 1: range 5..12, close 11 → 85.714…; bar 2: 6..12, close 9 → 50; bar 3: 8..13, close 13 → 100.
    expect(k[1]).toBeCloseTo((100 * 6) / 7, 12);
    expect(k[2]).toBe(50);
    expect(k[3]).toBe(100);
    expect(d[2]).toBeCloseTo((k[1] + 50) / 2, 12);
    const w = williamsRSeries(c, 2);
    expect(w[2]).toBe(-50);
    expect(w[3]).toBe(-0);
  });

  it('ROC is the percentage change over the period', () => {
    expect(Array.from(rocSeries([100, 110, 99], 2))).toEqual([NaN, NaN, -1]);
  });

  it('OBV adds volume on up closes, subtracts it on down closes, ignores unchanged ones', () => {
    const c = columns([
      [11, 9, 10, 100],
      [12, 10, 11, 200],
      [11, 9, 10, 300],
      [11, 9, 10, 400],
      [13, 11, 12, 500],
    ]);
    expect(Array.from(obvSeries(c))).toEqual([0, 200, -100, -100, 400]);
  });

  it('CCI divides the typical price deviation by 0.015 × mean absolute deviation', () => {
    const c = columns([
      [3, 3, 3, 1],
      [6, 6, 6, 1],
      [9, 9, 9, 1],
    ]);
    // TP 3, 6, 9: mean 6, mean |dev| 2 → (9 − 6) / (0.015 · 2) = 100.
    expect(cciSeries(c, 3)[2]).toBeCloseTo(100, 12);
  });

  it('MFI splits money flow by the direction of the typical price; 50 when nothing moved', () => {
    const c = columns([
      [10, 10, 10, 1],
      [12, 12, 12, 2],
      [11, 11, 11, 3],
    ]);
    // Flows: +12·2 = 24, −11·3 = 33 → 100 · 24 / 57.
    expect(mfiSeries(c, 2)[2]).toBeCloseTo((100 * 24) / 57, 12);
    const flat = columns([
      [10, 10, 10, 1],
      [10, 10, 10, 1],
    ]);
    expect(mfiSeries(flat, 1)[1]).toBe(50);
  });
});
