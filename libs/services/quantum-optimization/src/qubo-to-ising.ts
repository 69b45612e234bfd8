import type { Qubo } from './qubo';

/**
 * The same energy written over spins: E = constant + Σ_i h_i z_i + Σ_{i<j} J_ij z_i z_j with z_i = 1 − 2x_i, i.e. the
 * eigenvalue of Pauli Z on qubit i (+1 for |0⟩). This is the form a gate-model cost layer uses:
 * e^{−iγE} = e^{−iγ·constant} · Π_i RZ_i(2γh_i) · Π_{i<j} RZZ_ij(2γJ_ij).
 */
export interface IsingModel {
  size: number;
  constant: number;
  h: Float64Array;
  /** Row-major n×n, upper triangle used (i < j). */
  J: Float64Array;
}

export function quboToIsing(qubo: Qubo): IsingModel {
  const n = qubo.size;
  const h = new Float64Array(n);
  const J = new Float64Array(n * n);
  let constant = qubo.offset;
  for (let i = 0; i < n; i++) {
    constant += qubo.linear[i] / 2;
    h[i] -= qubo.linear[i] / 2;
    for (let j = i + 1; j < n; j++) {
      const w = qubo.coupling[i * n + j];
      constant += w / 4;
      h[i] -= w / 4;
      h[j] -= w / 4;
      J[i * n + j] = w / 4;
    }
  }
  return { size: n, constant, h, J };
}

/** The Ising energy of a 0/1 vector (same value as the QUBO energy). */
export function isingEnergy(model: IsingModel, x: ArrayLike<number>): number {
  const n = model.size;
  let e = model.constant;
  for (let i = 0; i < n; i++) {
    const zi = 1 - 2 * x[i];
    e += model.h[i] * zi;
    for (let j = i + 1; j < n; j++) e += model.J[i * n + j] * zi * (1 - 2 * x[j]);
  }
  return e;
}
