import { ValidationError, type FieldProblem } from '@rrr/core';
import { MAX_INDEXED_BITS } from './bitstring';

/**
 * A quadratic unconstrained binary optimisation problem: minimise E(x) = xᵀQx + offset over x ∈ {0,1}^n.
 *
 * Any square Q (upper-triangular, symmetric or neither) describes the same function once folded, because
 * x_i² = x_i and x_i x_j = x_j x_i: E(x) = offset + Σ_i Q_ii x_i + Σ_{i<j} (Q_ij + Q_ji) x_i x_j. The folded form is
 * stored as `linear` (the diagonal) and a symmetric `coupling` matrix with zero diagonal, so that the energy change of
 * flipping bit i is ±(linear_i + Σ_j coupling_ij x_j) — the local field every solver here updates incrementally.
 */
export class Qubo {
  readonly size: number;
  readonly offset: number;
  /** Coefficient of x_i. */
  readonly linear: Float64Array;
  /** Row-major n×n, symmetric, zero diagonal: coupling[i*n+j] is the coefficient of x_i x_j (each pair counted once). */
  readonly coupling: Float64Array;

  private constructor(size: number, linear: Float64Array, coupling: Float64Array, offset: number) {
    this.size = size;
    this.linear = linear;
    this.coupling = coupling;
    this.offset = offset;
  }

  /** Builds from a square matrix Q (upper-triangular, symmetric, or general) and a constant offset. */
  static fromMatrix(matrix: readonly (readonly number[])[], offset = 0): Qubo {
    const problems: FieldProblem[] = [];
    const n = Array.isArray(matrix) ? matrix.length : 0;
    if (!Array.isArray(matrix) || n === 0)
      problems.push({ field: 'matrix', message: 'must be a non-empty square matrix' });
    if (!Number.isFinite(offset)) problems.push({ field: 'offset', message: 'must be finite', value: offset });
    for (let i = 0; i < n && problems.length < 10; i++) {
      const row = matrix[i];
      if (!Array.isArray(row) || row.length !== n) {
        problems.push({ field: `matrix[${i}]`, message: `must have ${n} entries (square matrix)`, value: row?.length });
        continue;
      }
      for (let j = 0; j < n; j++) {
        if (!Number.isFinite(row[j]))
          problems.push({ field: `matrix[${i}][${j}]`, message: 'must be finite', value: row[j] });
      }
    }
    if (problems.length > 0) throw new ValidationError('qubo', problems);
    const linear = new Float64Array(n);
    const coupling = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      linear[i] = matrix[i][i];
      for (let j = i + 1; j < n; j++) {
        const w = matrix[i][j] + matrix[j][i];
        coupling[i * n + j] = w;
        coupling[j * n + i] = w;
      }
    }
    return new Qubo(n, linear, coupling, offset);
  }

  /** Builds from linear coefficients and pair terms {i, j, weight} (i ≠ j; repeated pairs add up). */
  static fromTerms(
    linear: ArrayLike<number>,
    pairs: readonly { i: number; j: number; weight: number }[] = [],
    offset = 0,
  ): Qubo {
    const n = linear.length;
    const matrix = Array.from({ length: n }, (_, i) => {
      const row = new Array<number>(n).fill(0);
      row[i] = linear[i];
      return row;
    });
    pairs.forEach((pair, p) => {
      const { i, j, weight } = pair;
      if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= n || j >= n || i === j) {
        throw new ValidationError('qubo', [
          { field: `pairs[${p}]`, message: `needs two distinct indices in 0..${n - 1}`, value: pair },
        ]);
      }
      matrix[Math.min(i, j)][Math.max(i, j)] += weight;
    });
    return Qubo.fromMatrix(matrix, offset);
  }

  /** E(x) for a 0/1 vector of length n. */
  energy(x: ArrayLike<number>): number {
    const n = this.size;
    if (x.length !== n) {
      throw new ValidationError('qubo', [{ field: 'x', message: `must have ${n} bits`, value: x.length }]);
    }
    const ones: number[] = [];
    for (let i = 0; i < n; i++) if (x[i]) ones.push(i);
    return this.energyOfOnes(ones);
  }

  /** E(x) where bit i of `index` is x_i (n ≤ 30). */
  energyOfIndex(index: number): number {
    if (this.size > MAX_INDEXED_BITS) {
      throw new ValidationError('qubo', [
        { field: 'size', message: `index addressing needs n ≤ ${MAX_INDEXED_BITS}`, value: this.size },
      ]);
    }
    const ones: number[] = [];
    for (let i = 0; i < this.size; i++) if ((index >>> i) & 1) ones.push(i);
    return this.energyOfOnes(ones);
  }

  /** E(x with bit i flipped) − E(x). */
  flipDelta(x: ArrayLike<number>, i: number): number {
    const n = this.size;
    let field = this.linear[i];
    const row = i * n;
    for (let j = 0; j < n; j++) if (x[j]) field += this.coupling[row + j];
    return x[i] ? -field : field;
  }

  /** The canonical upper-triangular Q (diagonal = linear, Q_ij = coupling for i < j, zero below). */
  toUpperTriangular(): number[][] {
    const n = this.size;
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (j === i ? this.linear[i] : j > i ? this.coupling[i * n + j] : 0)),
    );
  }

  /** The symmetric Q with the same energy (off-diagonal coupling split in halves). */
  toSymmetric(): number[][] {
    const n = this.size;
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (j === i ? this.linear[i] : this.coupling[i * n + j] / 2)),
    );
  }

  /** Σ|coefficients| + |offset|: the scale against which floating-point tolerances are set. */
  magnitude(): number {
    let total = Math.abs(this.offset);
    const n = this.size;
    for (let i = 0; i < n; i++) {
      total += Math.abs(this.linear[i]);
      for (let j = i + 1; j < n; j++) total += Math.abs(this.coupling[i * n + j]);
    }
    return total;
  }

  private energyOfOnes(ones: readonly number[]): number {
    const n = this.size;
    let e = this.offset;
    for (let a = 0; a < ones.length; a++) {
      const i = ones[a];
      e += this.linear[i];
      const row = i * n;
      for (let b = a + 1; b < ones.length; b++) e += this.coupling[row + ones[b]];
    }
    return e;
  }
}
