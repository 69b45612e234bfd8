import { ValidationError } from '@rrr/core';
import type { Rng } from './seeded-rng';

/** 2^24 amplitudes = 256 MiB of Float64 re/im: the most a statevector here may allocate. */
export const MAX_STATEVECTOR_QUBITS = 24;

/**
 * A pure n-qubit state as separate Float64Array real and imaginary parts (no complex objects, no allocation per gate).
 * Basis index bit q is qubit q (little-endian, the same order as `quantum-circuit`'s wires).
 *
 * Gate conventions (identical to quantum-circuit / Qiskit): RX(θ) = e^{−iθX/2}, RY(θ) = e^{−iθY/2},
 * RZ(φ) = diag(e^{−iφ/2}, e^{iφ/2}), phase(λ) = diag(1, e^{iλ}), RZZ(θ) = e^{−iθ Z⊗Z/2}, CNOT(control, target).
 */
export class Statevector {
  readonly qubits: number;
  readonly dimension: number;
  readonly re: Float64Array;
  readonly im: Float64Array;

  constructor(qubits: number) {
    if (!Number.isInteger(qubits) || qubits < 1 || qubits > MAX_STATEVECTOR_QUBITS) {
      throw new ValidationError('statevector', [
        { field: 'qubits', message: `must be an integer in 1..${MAX_STATEVECTOR_QUBITS}`, value: qubits },
      ]);
    }
    this.qubits = qubits;
    this.dimension = 2 ** qubits;
    this.re = new Float64Array(this.dimension);
    this.im = new Float64Array(this.dimension);
    this.re[0] = 1;
  }

  /** |0…0⟩. */
  reset(): this {
    this.re.fill(0);
    this.im.fill(0);
    this.re[0] = 1;
    return this;
  }

  /** |+⟩^⊗n, i.e. H on every qubit of |0…0⟩, written directly. */
  resetToUniform(): this {
    this.re.fill(1 / Math.sqrt(this.dimension));
    this.im.fill(0);
    return this;
  }

  h(q: number): this {
    this.checkQubit(q, 'qubit');
    const { re, im, dimension } = this;
    const s = Math.SQRT1_2;
    const stride = 1 << q;
    for (let base = 0; base < dimension; base += stride << 1) {
      for (let i = base, end = base + stride; i < end; i++) {
        const j = i + stride;
        const r0 = re[i];
        const m0 = im[i];
        const r1 = re[j];
        const m1 = im[j];
        re[i] = s * (r0 + r1);
        im[i] = s * (m0 + m1);
        re[j] = s * (r0 - r1);
        im[j] = s * (m0 - m1);
      }
    }
    return this;
  }

  x(q: number): this {
    this.checkQubit(q, 'qubit');
    const { re, im, dimension } = this;
    const stride = 1 << q;
    for (let base = 0; base < dimension; base += stride << 1) {
      for (let i = base, end = base + stride; i < end; i++) {
        const j = i + stride;
        const r = re[i];
        const m = im[i];
        re[i] = re[j];
        im[i] = im[j];
        re[j] = r;
        im[j] = m;
      }
    }
    return this;
  }

  y(q: number): this {
    return this.apply1(q, 0, 0, 0, -1, 0, 1, 0, 0);
  }

  z(q: number): this {
    return this.phase(q, Math.PI);
  }

  rx(q: number, theta: number): this {
    // [[c, −is], [−is, c]] written out: half the multiplications of the general 2×2 product, and the QAOA mixer
    // applies it to every qubit of every layer.
    this.checkQubit(q, 'qubit');
    const { re, im, dimension } = this;
    const c = Math.cos(theta / 2);
    const s = Math.sin(theta / 2);
    const stride = 1 << q;
    for (let base = 0; base < dimension; base += stride << 1) {
      for (let i = base, end = base + stride; i < end; i++) {
        const j = i + stride;
        const r0 = re[i];
        const m0 = im[i];
        const r1 = re[j];
        const m1 = im[j];
        re[i] = c * r0 + s * m1;
        im[i] = c * m0 - s * r1;
        re[j] = s * m0 + c * r1;
        im[j] = c * m1 - s * r0;
      }
    }
    return this;
  }

  ry(q: number, theta: number): this {
    const c = Math.cos(theta / 2);
    const s = Math.sin(theta / 2);
    return this.apply1(q, c, 0, -s, 0, s, 0, c, 0);
  }

  rz(q: number, phi: number): this {
    const c = Math.cos(phi / 2);
    const s = Math.sin(phi / 2);
    return this.applyDiagonal1(q, c, -s, c, s);
  }

  phase(q: number, lambda: number): this {
    return this.applyDiagonal1(q, 1, 0, Math.cos(lambda), Math.sin(lambda));
  }

  cnot(control: number, target: number): this {
    this.checkPair(control, target);
    const { re, im, dimension } = this;
    const cmask = 1 << control;
    const tmask = 1 << target;
    for (let i = 0; i < dimension; i++) {
      if ((i & cmask) !== 0 && (i & tmask) === 0) {
        const j = i | tmask;
        const r = re[i];
        const m = im[i];
        re[i] = re[j];
        im[i] = im[j];
        re[j] = r;
        im[j] = m;
      }
    }
    return this;
  }

  cz(a: number, b: number): this {
    this.checkPair(a, b);
    const { re, im, dimension } = this;
    const both = (1 << a) | (1 << b);
    for (let i = 0; i < dimension; i++) {
      if ((i & both) === both) {
        re[i] = -re[i];
        im[i] = -im[i];
      }
    }
    return this;
  }

  rzz(a: number, b: number, theta: number): this {
    this.checkPair(a, b);
    const { re, im, dimension } = this;
    const c = Math.cos(theta / 2);
    const s = Math.sin(theta / 2);
    for (let i = 0; i < dimension; i++) {
      // Equal bits: Z⊗Z eigenvalue +1 → e^{−iθ/2}; different bits: −1 → e^{+iθ/2}.
      const sign = (((i >>> a) ^ (i >>> b)) & 1) === 0 ? -s : s;
      const r = re[i];
      const m = im[i];
      re[i] = r * c - m * sign;
      im[i] = r * sign + m * c;
    }
    return this;
  }

  /** Multiplies amplitude k by e^{−iγ·energies[k]}: the cost unitary e^{−iγC} of a diagonal Hamiltonian C. */
  applyDiagonalPhase(energies: Float64Array, gamma: number): this {
    if (energies.length !== this.dimension) {
      throw new ValidationError('statevector', [
        { field: 'energies', message: `must have ${this.dimension} entries (2^qubits)`, value: energies.length },
      ]);
    }
    const { re, im, dimension } = this;
    for (let k = 0; k < dimension; k++) {
      const angle = gamma * energies[k];
      const c = Math.cos(angle);
      const s = -Math.sin(angle);
      const r = re[k];
      const m = im[k];
      re[k] = r * c - m * s;
      im[k] = r * s + m * c;
    }
    return this;
  }

  /** |amplitude_k|² for every k. */
  probabilities(out: Float64Array = new Float64Array(this.dimension)): Float64Array {
    const { re, im, dimension } = this;
    for (let k = 0; k < dimension; k++) out[k] = re[k] * re[k] + im[k] * im[k];
    return out;
  }

  /** ⟨ψ|D|ψ⟩ for a diagonal observable given by its diagonal. */
  expectation(diagonal: Float64Array): number {
    const { re, im, dimension } = this;
    let total = 0;
    for (let k = 0; k < dimension; k++) total += (re[k] * re[k] + im[k] * im[k]) * diagonal[k];
    return total;
  }

  norm(): number {
    const { re, im, dimension } = this;
    let total = 0;
    for (let k = 0; k < dimension; k++) total += re[k] * re[k] + im[k] * im[k];
    return Math.sqrt(total);
  }

  /** Measures all qubits `shots` times (with replacement) and returns the observed basis indices. */
  sample(shots: number, rng: Rng): Uint32Array {
    if (!Number.isInteger(shots) || shots < 0) {
      throw new ValidationError('statevector', [
        { field: 'shots', message: 'must be a non-negative integer', value: shots },
      ]);
    }
    const cumulative = this.probabilities();
    for (let k = 1; k < cumulative.length; k++) cumulative[k] += cumulative[k - 1];
    const total = cumulative[cumulative.length - 1];
    const out = new Uint32Array(shots);
    for (let s = 0; s < shots; s++) {
      const u = rng.next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      out[s] = lo;
    }
    return out;
  }

  /** General single-qubit unitary [[a, b], [c, d]] given as (re, im) pairs. */
  apply1(
    q: number,
    aRe: number,
    aIm: number,
    bRe: number,
    bIm: number,
    cRe: number,
    cIm: number,
    dRe: number,
    dIm: number,
  ): this {
    this.checkQubit(q, 'qubit');
    const { re, im, dimension } = this;
    const stride = 1 << q;
    for (let base = 0; base < dimension; base += stride << 1) {
      for (let i = base, end = base + stride; i < end; i++) {
        const j = i + stride;
        const r0 = re[i];
        const m0 = im[i];
        const r1 = re[j];
        const m1 = im[j];
        re[i] = aRe * r0 - aIm * m0 + bRe * r1 - bIm * m1;
        im[i] = aRe * m0 + aIm * r0 + bRe * m1 + bIm * r1;
        re[j] = cRe * r0 - cIm * m0 + dRe * r1 - dIm * m1;
        im[j] = cRe * m0 + cIm * r0 + dRe * m1 + dIm * r1;
      }
    }
    return this;
  }

  private applyDiagonal1(q: number, aRe: number, aIm: number, dRe: number, dIm: number): this {
    this.checkQubit(q, 'qubit');
    const { re, im, dimension } = this;
    const mask = 1 << q;
    for (let k = 0; k < dimension; k++) {
      const one = (k & mask) !== 0;
      const cr = one ? dRe : aRe;
      const ci = one ? dIm : aIm;
      const r = re[k];
      const m = im[k];
      re[k] = cr * r - ci * m;
      im[k] = cr * m + ci * r;
    }
    return this;
  }

  private checkQubit(q: number, field: string): void {
    if (!Number.isInteger(q) || q < 0 || q >= this.qubits) {
      throw new ValidationError('gate', [
        { field, message: `must be a qubit index in 0..${this.qubits - 1}`, value: q },
      ]);
    }
  }

  private checkPair(a: number, b: number): void {
    this.checkQubit(a, 'control');
    this.checkQubit(b, 'target');
    if (a === b)
      throw new ValidationError('gate', [{ field: 'target', message: 'must differ from the control qubit', value: b }]);
  }
}
