import { ValidationError } from '@rrr/core';

/** A reproducible random source: every Monte Carlo routine here takes a seed, so a run can be replayed exactly. */
export interface SeededRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Standard normal deviate. */
  normal(): number;
}

const TWO_POW_32 = 4294967296;
// Bound once: inside a vm context (jest), every `Math.x` in a hot loop is a slow global lookup.
const { floor, imul, log, sqrt } = Math;

/**
 * xoshiro128** (period 2^128 − 1) seeded through splitmix32, with Marsaglia's polar method for normals.
 * Math.random cannot be seeded, which would make a VaR figure or a chosen Kelly fraction irreproducible.
 */
export function createSeededRng(seed: number): SeededRng {
  if (!Number.isFinite(seed)) {
    throw new ValidationError('seeded rng', [{ field: 'seed', message: 'must be a finite number', value: seed }]);
  }
  let sm = Math.floor(seed) >>> 0;
  const splitmix = (): number => {
    sm = (sm + 0x9e3779b9) >>> 0;
    let z = sm;
    z = imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  if ((a | b | c | d) === 0) a = 1;

  const nextUint32 = (): number => {
    const result = imul(rotl(imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c = (c ^ a) >>> 0;
    d = (d ^ b) >>> 0;
    b = (b ^ c) >>> 0;
    a = (a ^ d) >>> 0;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => nextUint32() / TWO_POW_32;
  let spare: number | null = null;
  return {
    next,
    nextInt(n: number): number {
      return floor(next() * n);
    },
    normal(): number {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return value;
      }
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * next() - 1;
        v = 2 * next() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const factor = sqrt((-2 * log(s)) / s);
      spare = v * factor;
      return u * factor;
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
