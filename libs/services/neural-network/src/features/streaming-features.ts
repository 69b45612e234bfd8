import { ATR, BollingerBands, RSI, SMA } from 'trading-signals';
import { assembleFeatureRow } from './feature-set';
import type { OhlcvInput } from './compute-features';
import { INDICATOR_PARAMETERS as P, type IndicatorValues } from './indicator-values';
import {
  EmaCascade,
  StreamingAdx,
  StreamingAroon,
  StreamingCci,
  StreamingLogReturn,
  StreamingMacd,
  StreamingMeanDeviation,
  StreamingMfi,
  StreamingObvFlow,
  StreamingRealisedVolatility,
  StreamingRoc,
  StreamingRollingVwap,
  StreamingStochastic,
  StreamingWilliamsR,
  HighLowWindow,
} from './streaming-indicators';

function orNaN(value: number | null): number {
  return value ?? Number.NaN;
}

/**
 * The feature row of each new bar, one bar at a time (live inference). trading-signals computes SMA, Bollinger, ATR
 * and RSI, where its definitions are the classic ones; the rest are our own incremental classes. Feeding the same
 * bars gives exactly the rows {@link computeFeatureRows} gives.
 */
export class StreamingFeatures {
  private readonly rsi = new RSI(P.rsiPeriod);
  private readonly smaShort = new SMA(P.smaShort);
  private readonly smaLong = new SMA(P.smaLong);
  private readonly bollinger = new BollingerBands(P.bollingerPeriod, P.bollingerK);
  private readonly atr = new ATR(P.atrPeriod);
  private readonly keltnerAtr = new ATR(P.keltnerAtrPeriod);
  private readonly emas = new EmaCascade(P.emaPeriod);
  private readonly macd = new StreamingMacd(P.macdFast, P.macdSlow, P.macdSignal);
  private readonly stochastic = new StreamingStochastic(P.stochasticPeriod, P.stochasticD);
  private readonly roc = new StreamingRoc(P.rocPeriod);
  private readonly williamsR = new StreamingWilliamsR(P.williamsRPeriod);
  private readonly cci = new StreamingCci(P.cciPeriod);
  private readonly adx = new StreamingAdx(P.adxPeriod);
  private readonly aroon = new StreamingAroon(P.aroonPeriod);
  private readonly donchian = new HighLowWindow(P.donchianPeriod);
  private readonly obv = new StreamingObvFlow(P.obvPeriod);
  private readonly vwap = new StreamingRollingVwap(P.vwapPeriod);
  private readonly mfi = new StreamingMfi(P.mfiPeriod);
  private readonly return1 = new StreamingLogReturn(1);
  private readonly return5 = new StreamingLogReturn(5);
  private readonly return20 = new StreamingLogReturn(20);
  private readonly volatility = new StreamingRealisedVolatility(P.volatilityPeriod);
  private readonly volume = new StreamingMeanDeviation(P.volumePeriod);
  private count = 0;

  /** Bars consumed so far. */
  get bars(): number {
    return this.count;
  }

  /** Every indicator after `bar` (NaN while warming up). */
  updateIndicators(bar: OhlcvInput): IndicatorValues {
    this.count += 1;
    const hlc = { high: bar.high, low: bar.low, close: bar.close };
    const bands = this.bollinger.add(bar.close);
    const emas = this.emas.update(bar.close);
    const macd = this.macd.update(bar.close);
    const stochastic = this.stochastic.update(hlc);
    const adx = this.adx.update(hlc);
    const aroon = this.aroon.update(hlc);
    const donchian = this.donchian.update(hlc);
    const obv = this.obv.update(bar);
    const volume = this.volume.update(bar.volume);
    return {
      rsi: orNaN(this.rsi.add(bar.close)),
      macd: macd.macd,
      macdSignal: macd.signal,
      macdHistogram: macd.histogram,
      stochasticK: stochastic.k,
      stochasticD: stochastic.d,
      roc: this.roc.update(bar.close),
      williamsR: this.williamsR.update(hlc),
      cci: this.cci.update(hlc),
      smaShort: orNaN(this.smaShort.add(bar.close)),
      smaLong: orNaN(this.smaLong.add(bar.close)),
      ema: emas.ema,
      dema: emas.dema,
      tema: emas.tema,
      adx: adx.adx,
      plusDi: adx.plusDi,
      minusDi: adx.minusDi,
      aroonUp: aroon.up,
      aroonDown: aroon.down,
      bollingerUpper: bands?.upper ?? Number.NaN,
      bollingerMiddle: bands?.middle ?? Number.NaN,
      bollingerLower: bands?.lower ?? Number.NaN,
      atr: orNaN(this.atr.add(hlc)),
      keltnerAtr: orNaN(this.keltnerAtr.add(hlc)),
      donchianUpper: donchian.highest,
      donchianLower: donchian.lowest,
      obvChange: obv.change,
      obvVolume: obv.volume,
      vwap: this.vwap.update(bar),
      mfi: this.mfi.update(bar),
      logReturn1: this.return1.update(bar.close),
      logReturn5: this.return5.update(bar.close),
      logReturn20: this.return20.update(bar.close),
      realisedVolatility: this.volatility.update(bar.close),
      volumeMean: volume.mean,
      volumeDeviation: volume.deviation,
    };
  }

  /** The feature row of `bar`, or null while warming up. Bars must arrive in time order, each once. */
  update(bar: OhlcvInput): Float64Array | null {
    return assembleFeatureRow(this.updateIndicators(bar), bar.close, bar.volume);
  }
}
