import { checkReturnMatrix, checkReturnSeries, type ReturnMatrix, type ReturnSeries } from './return-series';

export const TRADING_DAYS_PER_YEAR = 252;

export function seriesMean(series: ReturnSeries): number {
  let sum = 0;
  for (let t = 0; t < series.length; t += 1) sum += series[t];
  return sum / series.length;
}

/** Sample covariance (n − 1 denominator). */
function sampleCovariance(a: ReturnSeries, b: ReturnSeries, meanA: number, meanB: number): number {
  let sum = 0;
  for (let t = 0; t < a.length; t += 1) sum += (a[t] - meanA) * (b[t] - meanB);
  return sum / (a.length - 1);
}

/** Sample standard deviation (n − 1). */
export function sampleStdDev(series: ReturnSeries): number {
  const m = seriesMean(series);
  return Math.sqrt(sampleCovariance(series, series, m, m));
}

/** Sample standard deviation × √periodsPerYear (252 for daily returns). */
export function annualisedVolatility(returns: ReturnSeries, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  checkReturnSeries('volatility', 'returns', returns, 2);
  return sampleStdDev(returns) * Math.sqrt(periodsPerYear);
}

/** cov(asset, benchmark) / var(benchmark), both sample estimates over the same periods. */
export function beta(asset: ReturnSeries, benchmark: ReturnSeries): number {
  checkReturnMatrix('beta', [asset, benchmark]);
  const ma = seriesMean(asset);
  const mb = seriesMean(benchmark);
  const varB = sampleCovariance(benchmark, benchmark, mb, mb);
  return varB === 0 ? Number.NaN : sampleCovariance(asset, benchmark, ma, mb) / varB;
}

/** Sample covariance matrix of `returns[asset][t]`, exactly symmetric. */
export function covarianceMatrix(returns: ReturnMatrix): number[][] {
  checkReturnMatrix('covariance matrix', returns);
  const n = returns.length;
  const means = returns.map(seriesMean);
  const cov = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i += 1) {
    for (let j = i; j < n; j += 1) {
      const c = sampleCovariance(returns[i], returns[j], means[i], means[j]);
      cov[i][j] = c;
      cov[j][i] = c;
    }
  }
  return cov;
}

/** Pearson correlations; a constant series correlates NaN with everything but 1 with itself. */
export function correlationMatrix(returns: ReturnMatrix): number[][] {
  const cov = covarianceMatrix(returns);
  const sd = cov.map((row, i) => Math.sqrt(row[i]));
  return cov.map((row, i) =>
    row.map((c, j) =>
      i === j ? 1 : sd[i] === 0 || sd[j] === 0 ? Number.NaN : Math.max(-1, Math.min(1, c / (sd[i] * sd[j]))),
    ),
  );
}
