import { ValidationError, type FieldProblem } from '@rrr/core';
import { psdCheck } from './cholesky';

export interface PortfolioInputs {
  symbols?: readonly string[];
  expectedReturns: readonly number[];
  covariance: readonly (readonly number[])[];
  /** Number of assets to select, when the caller selects. */
  k?: number;
  riskAversion?: number;
}

/**
 * Every problem with a covariance matrix, field by field: square, finite, symmetric (to 1e-9 of its largest entry),
 * positive semidefinite (see psdCheck), and of the expected size.
 */
export function covarianceProblems(
  covariance: readonly (readonly number[])[],
  expectedSize?: number,
  field = 'covariance',
): FieldProblem[] {
  if (!Array.isArray(covariance) || covariance.length === 0) {
    return [{ field, message: 'must be a non-empty square matrix (array of rows)' }];
  }
  const n = covariance.length;
  const problems: FieldProblem[] = [];
  if (expectedSize !== undefined && n !== expectedSize) {
    problems.push({
      field,
      message: `must be ${expectedSize}×${expectedSize} to match expectedReturns`,
      value: `${n} rows`,
    });
  }
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const row = covariance[i];
    if (!Array.isArray(row) || row.length !== n) {
      problems.push({ field: `${field}[${i}]`, message: `must have ${n} entries (square matrix)`, value: row?.length });
      continue;
    }
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(row[j]))
        problems.push({ field: `${field}[${i}][${j}]`, message: 'must be a finite number', value: row[j] });
      else maxAbs = Math.max(maxAbs, Math.abs(row[j]));
    }
  }
  if (problems.length > 0) return problems.slice(0, 20);
  const symmetryTolerance = 1e-9 * maxAbs;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(covariance[i][j] - covariance[j][i]) > symmetryTolerance) {
        problems.push({
          field: `${field}[${i}][${j}]`,
          message: `must equal ${field}[${j}][${i}] (a covariance matrix is symmetric)`,
          value: [covariance[i][j], covariance[j][i]],
        });
      }
    }
  }
  if (problems.length > 0) return problems.slice(0, 20);
  for (let i = 0; i < n; i++) {
    if (covariance[i][i] < 0) {
      problems.push({
        field: `${field}[${i}][${i}]`,
        message: 'a variance cannot be negative',
        value: covariance[i][i],
      });
    }
  }
  if (problems.length > 0) return problems;
  const psd = psdCheck(covariance);
  if (!psd.ok) {
    problems.push({
      field,
      message: `must be positive semidefinite: Cholesky of Σ + ${psd.tolerance.toExponential(1)}·I fails at row ${psd.row} (pivot ${psd.pivot.toExponential(3)}), so Σ has an eigenvalue below −${psd.tolerance.toExponential(1)}`,
    });
  }
  return problems;
}

/** Throws one ValidationError listing every problem of a portfolio problem's inputs, each naming its field. */
export function validatePortfolioInputs(input: PortfolioInputs): void {
  const problems: FieldProblem[] = [];
  const { expectedReturns, symbols, k, riskAversion } = input;
  if (!Array.isArray(expectedReturns) || expectedReturns.length === 0) {
    problems.push({ field: 'expectedReturns', message: 'must be a non-empty array of numbers' });
  } else {
    expectedReturns.forEach((r, i) => {
      if (!Number.isFinite(r))
        problems.push({ field: `expectedReturns[${i}]`, message: 'must be a finite number', value: r });
    });
  }
  const n = Array.isArray(expectedReturns) ? expectedReturns.length : 0;
  problems.push(...covarianceProblems(input.covariance, n > 0 ? n : undefined));
  if (symbols !== undefined) {
    if (!Array.isArray(symbols) || symbols.length !== n) {
      problems.push({
        field: 'symbols',
        message: `must list ${n} symbols, one per expected return`,
        value: symbols?.length,
      });
    } else {
      const seen = new Set<string>();
      symbols.forEach((s, i) => {
        if (typeof s !== 'string' || s.length === 0)
          problems.push({ field: `symbols[${i}]`, message: 'must be a non-empty string', value: s });
        else if (seen.has(s)) problems.push({ field: `symbols[${i}]`, message: `duplicate symbol ${s}`, value: s });
        seen.add(s);
      });
    }
  }
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > n)) {
    problems.push({ field: 'k', message: `must be an integer with 1 ≤ k ≤ ${n} (the number of assets)`, value: k });
  }
  if (riskAversion !== undefined && (!Number.isFinite(riskAversion) || riskAversion < 0)) {
    problems.push({ field: 'riskAversion', message: 'must be a finite number ≥ 0', value: riskAversion });
  }
  if (problems.length > 0) throw new ValidationError('portfolio inputs', problems);
}
