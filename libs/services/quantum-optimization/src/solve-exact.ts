import { bitsToLabel, indexToBits } from './bitstring';
import { assertEnumerable, walkGrayCode } from './energy-table';
import type { Qubo } from './qubo';

export interface ExactSolution {
  /** Minimum energy. */
  energy: number;
  /** Maximum energy over all 2^n states (the worst case that approximation ratios are measured from). */
  worstEnergy: number;
  /** Indices of the minimising states (bit i = x_i), ascending, at most `maxOptimaListed`. */
  optima: number[];
  /** How many states attain the minimum (may exceed `optima.length`). */
  optimumCount: number;
  /** The first optimum as a 0/1 vector and as a label (x_0 first). */
  bits: Uint8Array;
  bitstring: string;
  /** States evaluated: 2^n. */
  evaluated: number;
  wallTimeMs: number;
}

export interface SolveExactOptions {
  /** Cap on the optima returned (a degenerate problem can have 2^n of them). Default 64. */
  maxOptimaListed?: number;
}

/**
 * Exhaustive minimisation for n ≤ 20 by a Gray-code walk (one flip and an O(n) field update per state).
 * Ties are judged with a tolerance relative to the QUBO's magnitude, since incrementally accumulated energies carry
 * rounding of that order; the reported energies are then recomputed from scratch.
 */
export function solveExact(qubo: Qubo, options: SolveExactOptions = {}): ExactSolution {
  const started = performance.now();
  assertEnumerable(qubo.size, 'qubo.size');
  const maxListed = options.maxOptimaListed ?? 64;
  const tolerance = 1e-11 * Math.max(1, qubo.magnitude());
  let best = Infinity;
  let worst = -Infinity;
  let candidates: number[] = [];
  let count = 0;
  walkGrayCode(qubo, (index, energy) => {
    if (energy > worst) worst = energy;
    if (energy < best - tolerance) {
      best = energy;
      candidates = [index];
      count = 1;
    } else if (energy <= best + tolerance) {
      if (energy < best) best = energy;
      count += 1;
      if (candidates.length < maxListed * 4) candidates.push(index);
    }
  });
  const exact = candidates.map((index) => ({ index, energy: qubo.energyOfIndex(index) }));
  const minimum = Math.min(...exact.map((c) => c.energy));
  const optima = exact
    .filter((c) => c.energy <= minimum + tolerance)
    .map((c) => c.index)
    .sort((a, b) => a - b)
    .slice(0, maxListed);
  const bits = indexToBits(optima[0], qubo.size);
  return {
    energy: minimum,
    worstEnergy: Math.max(worst, minimum),
    optima,
    optimumCount: Math.max(count, optima.length),
    bits,
    bitstring: bitsToLabel(bits),
    evaluated: 2 ** qubo.size,
    wallTimeMs: performance.now() - started,
  };
}
