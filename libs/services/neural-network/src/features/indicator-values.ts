/**
 * The legacy indicator set's parameters (DESIGN.md "Legacy defaults"), in one place so the batch and streaming paths
 * cannot drift apart.
 */
export const INDICATOR_PARAMETERS = {
  rsiPeriod: 14,
  macdFast: 12,
  macdSlow: 26,
  macdSignal: 9,
  stochasticPeriod: 14,
  stochasticD: 3,
  rocPeriod: 12,
  williamsRPeriod: 14,
  cciPeriod: 20,
  smaShort: 20,
  smaLong: 50,
  emaPeriod: 20,
  adxPeriod: 14,
  aroonPeriod: 25,
  bollingerPeriod: 20,
  bollingerK: 2,
  atrPeriod: 14,
  keltnerEmaPeriod: 20,
  keltnerAtrPeriod: 10,
  keltnerK: 2,
  donchianPeriod: 20,
  obvPeriod: 20,
  vwapPeriod: 20,
  mfiPeriod: 14,
  volatilityPeriod: 20,
  volumePeriod: 20,
} as const;

/**
 * Every indicator reading for one bar, in price units where the indicator has them. NaN while an indicator is still
 * warming up. Both the batch and the streaming computation produce this record; features are derived from it by one
 * shared function.
 */
export interface IndicatorValues {
  rsi: number;
  macd: number;
  macdSignal: number;
  macdHistogram: number;
  stochasticK: number;
  stochasticD: number;
  roc: number;
  williamsR: number;
  cci: number;
  smaShort: number;
  smaLong: number;
  ema: number;
  dema: number;
  tema: number;
  adx: number;
  plusDi: number;
  minusDi: number;
  aroonUp: number;
  aroonDown: number;
  bollingerUpper: number;
  bollingerMiddle: number;
  bollingerLower: number;
  atr: number;
  keltnerAtr: number;
  donchianUpper: number;
  donchianLower: number;
  /** OBV now minus OBV `obvPeriod` bars ago. */
  obvChange: number;
  /** Volume summed over the same `obvPeriod` bars. */
  obvVolume: number;
  vwap: number;
  mfi: number;
  logReturn1: number;
  logReturn5: number;
  logReturn20: number;
  realisedVolatility: number;
  volumeMean: number;
  volumeDeviation: number;
}

export const INDICATOR_KEYS = [
  'rsi',
  'macd',
  'macdSignal',
  'macdHistogram',
  'stochasticK',
  'stochasticD',
  'roc',
  'williamsR',
  'cci',
  'smaShort',
  'smaLong',
  'ema',
  'dema',
  'tema',
  'adx',
  'plusDi',
  'minusDi',
  'aroonUp',
  'aroonDown',
  'bollingerUpper',
  'bollingerMiddle',
  'bollingerLower',
  'atr',
  'keltnerAtr',
  'donchianUpper',
  'donchianLower',
  'obvChange',
  'obvVolume',
  'vwap',
  'mfi',
  'logReturn1',
  'logReturn5',
  'logReturn20',
  'realisedVolatility',
  'volumeMean',
  'volumeDeviation',
] as const satisfies readonly (keyof IndicatorValues)[];
