import { sampleCorrelation, sampleStandardDeviation } from 'simple-statistics';
import { annualisedVolatility, beta, correlationMatrix, covarianceMatrix } from './risk-statistics';

describe('risk statistics', () => {
  const a = [0.01, -0.02, 0.015, 0.003, -0.007, 0.012];
  const b = [0.004, -0.01, 0.02, -0.001, -0.003, 0.006];

  it('annualises the sample standard deviation with √252', () => {
    expect(annualisedVolatility([0.01, -0.01, 0.01, -0.01])).toBeCloseTo(Math.sqrt(0.0004 / 3) * Math.sqrt(252), 12);
    expect(annualisedVolatility(a)).toBeCloseTo(sampleStandardDeviation(a) * Math.sqrt(252), 12);
    expect(annualisedVolatility(a, 52)).toBeCloseTo(sampleStandardDeviation(a) * Math.sqrt(52), 12);
  });

  it('gives beta = cov / var of the benchmark', () => {
    expect(
      beta(
        b.map((x) => 2 * x + 0.001),
        b,
      ),
    ).toBeCloseTo(2, 12);
    expect(
      beta(
        b.map((x) => -0.5 * x),
        b,
      ),
    ).toBeCloseTo(-0.5, 12);
    expect(beta(a, [0.01, 0.01, 0.01, 0.01, 0.01, 0.01])).toBeNaN();
  });

  it('builds symmetric covariance and correlation matrices', () => {
    const corr = correlationMatrix([a, b, a.map((x) => -3 * x)]);
    expect(corr[0][0]).toBe(1);
    expect(corr[0][1]).toBeCloseTo(sampleCorrelation(a, b), 12);
    expect(corr[1][0]).toBe(corr[0][1]);
    expect(corr[0][2]).toBeCloseTo(-1, 12);
    const cov = covarianceMatrix([a, b]);
    expect(cov[0][0]).toBeCloseTo(sampleStandardDeviation(a) ** 2, 14);
    expect(cov[0][1]).toBe(cov[1][0]);
  });

  it('rejects series of different lengths', () => {
    expect(() => correlationMatrix([a, b.slice(1)])).toThrow(/returns\[1\]: must have the same length/);
  });
});
