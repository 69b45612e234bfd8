import type { Qubo } from './qubo';
import type { Rng } from './seeded-rng';

/**
 * A bitstring with its energy and local fields field_i = linear_i + Σ_j coupling_ij x_j, so a single-flip energy
 * change is ±field_i in O(1) and an accepted flip costs one O(n) row update. Shared by annealing and tempering.
 */
export class LocalFieldState {
  readonly x: Uint8Array;
  readonly field: Float64Array;
  energy: number;
  private readonly qubo: Qubo;

  constructor(qubo: Qubo, initial?: ArrayLike<number>) {
    this.qubo = qubo;
    this.x = new Uint8Array(qubo.size);
    this.field = new Float64Array(qubo.size);
    this.energy = 0;
    this.assign(initial ?? this.x);
  }

  /** Sets the bits and recomputes fields and energy from scratch (also clears accumulated rounding). */
  assign(bits: ArrayLike<number>): void {
    const { size: n, linear, coupling } = this.qubo;
    for (let i = 0; i < n; i++) this.x[i] = bits[i] ? 1 : 0;
    let energy = this.qubo.offset;
    for (let i = 0; i < n; i++) {
      let f = linear[i];
      const row = i * n;
      for (let j = 0; j < n; j++) if (this.x[j]) f += coupling[row + j];
      this.field[i] = f;
      if (this.x[i]) energy += linear[i] + (f - linear[i]) / 2;
    }
    this.energy = energy;
  }

  randomize(rng: Rng): void {
    const bits = new Uint8Array(this.qubo.size);
    for (let i = 0; i < bits.length; i++) bits[i] = rng.nextUint32() & 1;
    this.assign(bits);
  }

  delta(i: number): number {
    return this.x[i] ? -this.field[i] : this.field[i];
  }

  flip(i: number): void {
    const n = this.qubo.size;
    const { coupling } = this.qubo;
    const row = i * n;
    const field = this.field;
    if (this.x[i]) {
      this.energy -= field[i];
      for (let j = 0; j < n; j++) field[j] -= coupling[row + j];
      this.x[i] = 0;
    } else {
      this.energy += field[i];
      for (let j = 0; j < n; j++) field[j] += coupling[row + j];
      this.x[i] = 1;
    }
  }
}
