import { checkOptions, isIntAtLeast } from '@rrr/core';
import { bitsToLabel } from './bitstring';
import { LocalFieldState } from './local-field-state';
import type { Qubo } from './qubo';
import { createRng } from './seeded-rng';
import { resolveTemperatureRange } from './temperature-range';

export interface TemperingOptions {
  /** Sweeps of every replica. Default 500. */
  sweeps?: number;
  /** Replicas on a geometric temperature ladder from cold to hot. Default 8. */
  replicas?: number;
  hotTemperature?: number;
  coldTemperature?: number;
  seed?: number;
}

export interface TemperingResult {
  bits: Uint8Array;
  bitstring: string;
  energy: number;
  sweeps: number;
  /** The ladder, coldest first. */
  temperatures: number[];
  /** Fraction of accepted exchanges between ladder neighbours (k, k+1). */
  swapAcceptance: number[];
  flipsProposed: number;
  flipsAccepted: number;
  wallTimeMs: number;
}

/**
 * Parallel tempering (replica exchange): one Metropolis chain per temperature; after every sweep, neighbouring
 * temperatures propose to exchange configurations, accepted with probability min(1, e^{(β_k − β_{k+1})(E_k − E_{k+1})}),
 * which keeps every chain at equilibrium while letting good configurations found hot drift down to the cold end —
 * the escape route from local minima that a single annealing run lacks. Even and odd pairs alternate.
 * Deterministic for a seed.
 */
export function parallelTempering(qubo: Qubo, options: TemperingOptions = {}): TemperingResult {
  const started = performance.now();
  const sweeps = options.sweeps ?? 500;
  const replicas = options.replicas ?? 8;
  checkOptions('parallel tempering', [
    { field: 'sweeps', value: sweeps, ok: isIntAtLeast(sweeps, 1), message: 'must be a positive integer' },
    { field: 'replicas', value: replicas, ok: isIntAtLeast(replicas, 2), message: 'must be an integer ≥ 2' },
  ]);
  const range = resolveTemperatureRange(qubo, options.hotTemperature, options.coldTemperature);
  const temperatures = Array.from(
    { length: replicas },
    (_, k) => range.cold * Math.pow(range.hot / range.cold, k / (replicas - 1)),
  );
  const betas = temperatures.map((t) => 1 / t);
  const rng = createRng(options.seed ?? 1);
  const n = qubo.size;
  // chains[k] is the configuration currently at temperature k; an exchange swaps the references.
  const chains = temperatures.map(() => {
    const state = new LocalFieldState(qubo);
    state.randomize(rng);
    return state;
  });
  const best = new Uint8Array(n);
  let bestEnergy = Infinity;
  for (const chain of chains) {
    if (chain.energy < bestEnergy) {
      bestEnergy = chain.energy;
      best.set(chain.x);
    }
  }
  const swapsTried = new Array<number>(replicas - 1).fill(0);
  const swapsAccepted = new Array<number>(replicas - 1).fill(0);
  let accepted = 0;

  for (let s = 0; s < sweeps; s++) {
    for (let k = 0; k < replicas; k++) {
      const state = chains[k];
      const beta = betas[k];
      for (let i = 0; i < n; i++) {
        const delta = state.delta(i);
        if (delta <= 0 || rng.next() < Math.exp(-delta * beta)) {
          state.flip(i);
          accepted += 1;
          if (state.energy < bestEnergy) {
            bestEnergy = state.energy;
            best.set(state.x);
          }
        }
      }
    }
    for (let k = s % 2; k + 1 < replicas; k += 2) {
      swapsTried[k] += 1;
      const exponent = (betas[k] - betas[k + 1]) * (chains[k].energy - chains[k + 1].energy);
      if (exponent >= 0 || rng.next() < Math.exp(exponent)) {
        const tmp = chains[k];
        chains[k] = chains[k + 1];
        chains[k + 1] = tmp;
        swapsAccepted[k] += 1;
      }
    }
  }

  return {
    bits: best,
    bitstring: bitsToLabel(best),
    energy: qubo.energy(best),
    sweeps,
    temperatures,
    swapAcceptance: swapsTried.map((tried, k) => (tried > 0 ? swapsAccepted[k] / tried : 0)),
    flipsProposed: sweeps * replicas * n,
    flipsAccepted: accepted,
    wallTimeMs: performance.now() - started,
  };
}
