/**
 * Lower-triangular L with A = L·Lᵀ for a symmetric matrix, or the failing row and pivot when A is not positive
 * definite. Only the lower triangle of A is read.
 */
export function cholesky(
  matrix: readonly (readonly number[])[],
  shift = 0,
): { ok: true; lower: number[][] } | { ok: false; row: number; pivot: number } {
  const n = matrix.length;
  const lower = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i][j] + (i === j ? shift : 0);
      for (let k = 0; k < j; k++) sum -= lower[i][k] * lower[j][k];
      if (i === j) {
        if (!(sum > 0)) return { ok: false, row: i, pivot: sum };
        lower[i][i] = Math.sqrt(sum);
      } else {
        lower[i][j] = sum / lower[j][j];
      }
    }
  }
  return { ok: true, lower };
}

/**
 * Positive semidefinite within a tolerance: Σ + τI is positive definite, i.e. every eigenvalue of Σ exceeds −τ, with
 * τ = relativeTolerance·max(diag) (plus a tiny absolute floor so the zero matrix passes). A sample covariance with
 * more assets than observations is singular, and rounding can push its smallest eigenvalue slightly negative: that
 * must pass, a genuinely indefinite matrix must not.
 */
export function psdCheck(
  matrix: readonly (readonly number[])[],
  relativeTolerance = 1e-9,
): { ok: true; tolerance: number } | { ok: false; tolerance: number; row: number; pivot: number } {
  let maxDiag = 0;
  for (let i = 0; i < matrix.length; i++) maxDiag = Math.max(maxDiag, Math.abs(matrix[i][i]));
  const tolerance = relativeTolerance * maxDiag + 1e-300;
  const result = cholesky(matrix, tolerance);
  return result.ok ? { ok: true, tolerance } : { ok: false, tolerance, row: result.row, pivot: result.pivot };
}
