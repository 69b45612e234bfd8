import type { Bar } from '@rrr/core';
import { assembleFeatureRow } from './feature-set';
import {
  adxSeries,
  aroonSeries,
  atrSeries,
  bollingerSeries,
  cciSeries,
  demaSeries,
  donchianSeries,
  emaSeries,
  logReturnSeries,
  macdSeries,
  mfiSeries,
  obvSeries,
  realisedVolatilitySeries,
  rocSeries,
  rollingMeanDeviationSeries,
  rollingSumSeries,
  rollingVwapSeries,
  rsiSeries,
  smaSeries,
  stochasticSeries,
  temaSeries,
  williamsRSeries,
  nanSeries,
  type OhlcvColumns,
} from './indicator-series';
import { INDICATOR_KEYS, INDICATOR_PARAMETERS as P, type IndicatorValues } from './indicator-values';

export type OhlcvInput = Pick<Bar, 'open' | 'high' | 'low' | 'close' | 'volume'>;

export function toOhlcvColumns(bars: readonly OhlcvInput[]): OhlcvColumns {
  const column = (pick: (b: OhlcvInput) => number) => Float64Array.from(bars, pick);
  return {
    open: column((b) => b.open),
    high: column((b) => b.high),
    low: column((b) => b.low),
    close: column((b) => b.close),
    volume: column((b) => b.volume),
  };
}

/** Every indicator as a whole series, keyed like {@link IndicatorValues}. */
export function computeIndicatorSeries(c: OhlcvColumns): Record<keyof IndicatorValues, Float64Array> {
  const macd = macdSeries(c.close, P.macdFast, P.macdSlow, P.macdSignal);
  const stochastic = stochasticSeries(c, P.stochasticPeriod, P.stochasticD);
  const adx = adxSeries(c, P.adxPeriod);
  const aroon = aroonSeries(c, P.aroonPeriod);
  const bands = bollingerSeries(c.close, P.bollingerPeriod, P.bollingerK);
  const donchian = donchianSeries(c, P.donchianPeriod);
  const obv = obvSeries(c);
  const obvChange = nanSeries(obv.length);
  for (let t = P.obvPeriod; t < obv.length; t += 1) obvChange[t] = obv[t] - obv[t - P.obvPeriod];
  const volume = rollingMeanDeviationSeries(c.volume, P.volumePeriod);
  return {
    rsi: rsiSeries(c.close, P.rsiPeriod),
    macd: macd.macd,
    macdSignal: macd.signal,
    macdHistogram: macd.histogram,
    stochasticK: stochastic.k,
    stochasticD: stochastic.d,
    roc: rocSeries(c.close, P.rocPeriod),
    williamsR: williamsRSeries(c, P.williamsRPeriod),
    cci: cciSeries(c, P.cciPeriod),
    smaShort: smaSeries(c.close, P.smaShort),
    smaLong: smaSeries(c.close, P.smaLong),
    ema: emaSeries(c.close, P.emaPeriod),
    dema: demaSeries(c.close, P.emaPeriod),
    tema: temaSeries(c.close, P.emaPeriod),
    adx: adx.adx,
    plusDi: adx.plusDi,
    minusDi: adx.minusDi,
    aroonUp: aroon.up,
    aroonDown: aroon.down,
    bollingerUpper: bands.upper,
    bollingerMiddle: bands.middle,
    bollingerLower: bands.lower,
    atr: atrSeries(c, P.atrPeriod),
    keltnerAtr: atrSeries(c, P.keltnerAtrPeriod),
    donchianUpper: donchian.upper,
    donchianLower: donchian.lower,
    obvChange,
    obvVolume: rollingSumSeries(c.volume, P.obvPeriod),
    vwap: rollingVwapSeries(c, P.vwapPeriod),
    mfi: mfiSeries(c, P.mfiPeriod),
    logReturn1: logReturnSeries(c.close, 1),
    logReturn5: logReturnSeries(c.close, 5),
    logReturn20: logReturnSeries(c.close, 20),
    realisedVolatility: realisedVolatilitySeries(c.close, P.volatilityPeriod),
    volumeMean: volume.mean,
    volumeDeviation: volume.deviation,
  };
}

export function indicatorValuesAt(series: Record<keyof IndicatorValues, Float64Array>, t: number): IndicatorValues {
  const values = {} as IndicatorValues;
  for (const key of INDICATOR_KEYS) values[key] = series[key][t];
  return values;
}

/**
 * Feature rows of a whole series in one pass (training, evaluation): row t is null during warm-up. Row t depends on
 * bars 0..t only.
 */
export function computeFeatureRows(bars: readonly OhlcvInput[]): (Float64Array | null)[] {
  const columns = toOhlcvColumns(bars);
  const series = computeIndicatorSeries(columns);
  return bars.map((bar, t) => assembleFeatureRow(indicatorValuesAt(series, t), bar.close, bar.volume));
}
