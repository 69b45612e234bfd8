import { ValidationError } from '@rrr/core';

/** A deterministic pseudo-random source: every stochastic routine of this library takes one, so a seed reproduces a run. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Standard normal deviate. */
  normal(): number;
}

const TWO_POW_32 = 4294967296;

/**
 * xoshiro128** seeded through splitmix32: fast, 2^128 − 1 period, and good enough statistically for Monte Carlo
 * moves and sampling. Math.random cannot be seeded, which would make annealing and QAOA restarts irreproducible.
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new ValidationError('rng', [{ field: 'seed', message: 'must be a finite number', value: seed }]);
  }
  let sm = Math.floor(seed) >>> 0 || 0x9e3779b9;
  const splitmix = (): number => {
    sm = (sm + 0x9e3779b9) >>> 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3 >>> 0, 11);
    s0 >>>= 0;
    s1 >>>= 0;
    s2 >>>= 0;
    return result;
  };
  const next = (): number => nextUint32() / TWO_POW_32;
  let spareNormal: number | null = null;
  return {
    next,
    nextUint32,
    nextInt(n: number): number {
      if (!Number.isInteger(n) || n <= 0) {
        throw new ValidationError('rng', [{ field: 'n', message: 'must be a positive integer', value: n }]);
      }
      return Math.floor(next() * n);
    },
    normal(): number {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
