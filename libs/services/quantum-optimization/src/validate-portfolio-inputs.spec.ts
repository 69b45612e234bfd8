import { ValidationError } from '@rrr/core';
import { validatePortfolioInputs } from './validate-portfolio-inputs';

const good = {
  symbols: ['AAA', 'BBB', 'CCC'],
  expectedReturns: [0.1, 0.12, 0.08],
  covariance: [
    [0.04, 0.01, 0.0],
    [0.01, 0.09, 0.02],
    [0.0, 0.02, 0.0625],
  ],
  k: 2,
  riskAversion: 1,
};

function problemsOf(input: Parameters<typeof validatePortfolioInputs>[0]): string[] {
  try {
    validatePortfolioInputs(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.field}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('validatePortfolioInputs', () => {
  it('accepts a valid problem, including a singular PSD covariance', () => {
    expect(problemsOf(good)).toEqual([]);
    const v = [0.2, 0.1, 0.3];
    expect(problemsOf({ ...good, covariance: v.map((a) => v.map((b) => a * b)) })).toEqual([]);
  });

  it('rejects a non-square covariance naming the row', () => {
    expect(
      problemsOf({
        ...good,
        covariance: [
          [0.04, 0.01, 0],
          [0.01, 0.09],
          [0, 0.02, 0.06],
        ],
      }),
    ).toEqual(['covariance[1]: must have 3 entries (square matrix)']);
  });

  it('rejects a size mismatch with expectedReturns', () => {
    expect(problemsOf({ ...good, expectedReturns: [0.1, 0.2], symbols: undefined, k: 1 })[0]).toBe(
      'covariance: must be 2×2 to match expectedReturns',
    );
  });

  it('rejects an asymmetric covariance naming the entry', () => {
    const covariance = good.covariance.map((row) => [...row]);
    covariance[0][2] = 0.005;
    expect(problemsOf({ ...good, covariance })).toEqual([
      'covariance[0][2]: must equal covariance[2][0] (a covariance matrix is symmetric)',
    ]);
  });

  it('rejects a symmetric matrix that is not PSD (correlation above 1)', () => {
    const problems = problemsOf({
      ...good,
      covariance: [
        [0.04, 0.07, 0],
        [0.07, 0.09, 0],
        [0, 0, 0.01],
      ],
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^covariance: must be positive semidefinite: Cholesky .* fails at row 1/);
  });

  it('rejects non-finite numbers, bad k, bad risk aversion and bad symbols, all at once', () => {
    expect(
      problemsOf({
        symbols: ['AAA', 'AAA', ''],
        expectedReturns: [0.1, Number.NaN, 0.08],
        covariance: [
          [0.04, 0, 0],
          [0, Number.POSITIVE_INFINITY, 0],
          [0, 0, 0.01],
        ],
        k: 4,
        riskAversion: -1,
      }),
    ).toEqual([
      'expectedReturns[1]: must be a finite number',
      'covariance[1][1]: must be a finite number',
      'symbols[1]: duplicate symbol AAA',
      'symbols[2]: must be a non-empty string',
      'k: must be an integer with 1 ≤ k ≤ 3 (the number of assets)',
      'riskAversion: must be a finite number ≥ 0',
    ]);
    expect(problemsOf({ ...good, k: 0 })).toEqual(['k: must be an integer with 1 ≤ k ≤ 3 (the number of assets)']);
    expect(problemsOf({ ...good, k: 1.5 })).toHaveLength(1);
  });

  it('rejects a negative variance', () => {
    expect(
      problemsOf({
        ...good,
        covariance: [
          [-0.01, 0, 0],
          [0, 0.09, 0],
          [0, 0, 0.01],
        ],
      }),
    ).toEqual(['covariance[0][0]: a variance cannot be negative']);
  });
});
