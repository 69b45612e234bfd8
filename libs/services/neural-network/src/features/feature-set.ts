import { createHash } from 'node:crypto';
import { INDICATOR_KEYS, INDICATOR_PARAMETERS, type IndicatorValues } from './indicator-values';

/**
 * The model inputs, in column order. Price-level indicators enter as a relative distance from the close (or as a
 * fraction of it) so that a model trained on SPX at 1,400 still reads SPX at 2,800 the same way.
 */
export const FEATURE_NAMES = [
  'rsi14',
  'macdPct',
  'macdSignalPct',
  'macdHistogramPct',
  'stochasticK14',
  'stochasticD3',
  'roc12',
  'williamsR14',
  'cci20',
  'sma20Gap',
  'sma50Gap',
  'ema20Gap',
  'dema20Gap',
  'tema20Gap',
  'adx14',
  'plusDi14',
  'minusDi14',
  'aroonUp25',
  'aroonDown25',
  'bollingerPercentB',
  'bollingerWidth',
  'atr14Pct',
  'keltnerPosition',
  'donchianPosition',
  'obvFlow20',
  'vwap20Gap',
  'mfi14',
  'logReturn1',
  'logReturn5',
  'logReturn20',
  'realisedVolatility20',
  'volumeZScore20',
  'volumeRatio20',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** What a saved model records about its inputs; loading refuses a model whose feature set differs from this build's. */
export interface FeatureSetDescriptor {
  id: string;
  version: number;
  names: readonly string[];
  /** SHA-256 over id, version, names and the indicator parameters: any change to what a column means changes it. */
  hash: string;
}

function featureSetHash(id: string, version: number, names: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ id, version, names, parameters: INDICATOR_PARAMETERS }))
    .digest('hex');
}

const FEATURE_SET_ID = 'rrr-technical';
const FEATURE_SET_VERSION = 1;

export const FEATURE_SET: FeatureSetDescriptor = Object.freeze({
  id: FEATURE_SET_ID,
  version: FEATURE_SET_VERSION,
  names: FEATURE_NAMES,
  hash: featureSetHash(FEATURE_SET_ID, FEATURE_SET_VERSION, FEATURE_NAMES),
});

export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * Bars consumed before the first complete feature row: TEMA(20) of SMA-seeded EMAs is the slowest indicator and is
 * first defined at bar 3·(20 − 1), so the first row belongs to bar 57 (the 58th bar).
 */
export const FEATURE_WARMUP_BARS = 3 * (INDICATOR_PARAMETERS.emaPeriod - 1) + 1;

function gap(close: number, level: number): number {
  return close / level - 1;
}

function position(value: number, lower: number, upper: number): number {
  const width = upper - lower;
  return width === 0 ? 0.5 : (value - lower) / width;
}

/**
 * The feature row for one bar, or null while any indicator is still warming up. Shared by the batch and the
 * streaming path, so the two agree exactly whenever their indicator values do.
 */
export function assembleFeatureRow(v: IndicatorValues, close: number, volume: number): Float64Array | null {
  for (const key of INDICATOR_KEYS) if (Number.isNaN(v[key])) return null;
  const keltnerMiddle = v.ema;
  const keltnerUpper = keltnerMiddle + INDICATOR_PARAMETERS.keltnerK * v.keltnerAtr;
  const keltnerLower = keltnerMiddle - INDICATOR_PARAMETERS.keltnerK * v.keltnerAtr;
  const row = new Float64Array(FEATURE_COUNT);
  let i = 0;
  row[i++] = v.rsi;
  row[i++] = (v.macd / close) * 100;
  row[i++] = (v.macdSignal / close) * 100;
  row[i++] = (v.macdHistogram / close) * 100;
  row[i++] = v.stochasticK;
  row[i++] = v.stochasticD;
  row[i++] = v.roc;
  row[i++] = v.williamsR;
  row[i++] = v.cci;
  row[i++] = gap(close, v.smaShort);
  row[i++] = gap(close, v.smaLong);
  row[i++] = gap(close, v.ema);
  row[i++] = gap(close, v.dema);
  row[i++] = gap(close, v.tema);
  row[i++] = v.adx;
  row[i++] = v.plusDi;
  row[i++] = v.minusDi;
  row[i++] = v.aroonUp;
  row[i++] = v.aroonDown;
  row[i++] = position(close, v.bollingerLower, v.bollingerUpper);
  row[i++] = v.bollingerMiddle === 0 ? 0 : (v.bollingerUpper - v.bollingerLower) / v.bollingerMiddle;
  row[i++] = v.atr / close;
  row[i++] = position(close, keltnerLower, keltnerUpper);
  row[i++] = position(close, v.donchianLower, v.donchianUpper);
  row[i++] = v.obvVolume === 0 ? 0 : v.obvChange / v.obvVolume;
  row[i++] = gap(close, v.vwap);
  row[i++] = v.mfi;
  row[i++] = v.logReturn1;
  row[i++] = v.logReturn5;
  row[i++] = v.logReturn20;
  row[i++] = v.realisedVolatility;
  row[i++] = v.volumeDeviation === 0 ? 0 : (volume - v.volumeMean) / v.volumeDeviation;
  row[i++] = v.volumeMean === 0 ? 1 : volume / v.volumeMean;
  return row;
}
