import { checkOptions, isIntAtLeast } from '@rrr/core';
import { bitsToLabel } from './bitstring';
import { LocalFieldState } from './local-field-state';
import type { Qubo } from './qubo';
import { createRng } from './seeded-rng';
import { resolveTemperatureRange } from './temperature-range';

export interface AnnealOptions {
  /** Sweeps per run (one sweep = one flip proposal per variable, in order). Default 1000. */
  sweeps?: number;
  /** Independent runs from random starts; the best is kept. Default 4. */
  restarts?: number;
  /** Start and end temperatures of the geometric schedule (defaults: defaultTemperatureRange). */
  hotTemperature?: number;
  coldTemperature?: number;
  seed?: number;
}

export interface AnnealResult {
  bits: Uint8Array;
  bitstring: string;
  energy: number;
  sweeps: number;
  restarts: number;
  flipsProposed: number;
  flipsAccepted: number;
  temperatures: { hot: number; cold: number };
  wallTimeMs: number;
}

/**
 * Simulated annealing on a QUBO: Metropolis single-bit flips with O(1) energy deltas from the local fields, the
 * temperature falling geometrically from hot to cold (T_s = hot·(cold/hot)^{s/(S−1)}). The best state visited is
 * kept, not only the final one: with a cardinality penalty, feasible selections are separated by penalty barriers
 * and the walk can pass the optimum at a temperature where it cannot settle in it. Deterministic for a seed.
 */
export function annealQubo(qubo: Qubo, options: AnnealOptions = {}): AnnealResult {
  const started = performance.now();
  const sweeps = options.sweeps ?? 1000;
  const restarts = options.restarts ?? 4;
  checkOptions('annealing', [
    { field: 'sweeps', value: sweeps, ok: isIntAtLeast(sweeps, 1), message: 'must be a positive integer' },
    { field: 'restarts', value: restarts, ok: isIntAtLeast(restarts, 1), message: 'must be a positive integer' },
  ]);
  const temperatures = resolveTemperatureRange(qubo, options.hotTemperature, options.coldTemperature);
  const rng = createRng(options.seed ?? 1);
  const n = qubo.size;
  const state = new LocalFieldState(qubo);
  const best = new Uint8Array(n);
  let bestEnergy = Infinity;
  let accepted = 0;
  const ratio = sweeps > 1 ? Math.pow(temperatures.cold / temperatures.hot, 1 / (sweeps - 1)) : 1;

  for (let r = 0; r < restarts; r++) {
    state.randomize(rng);
    if (state.energy < bestEnergy) {
      bestEnergy = state.energy;
      best.set(state.x);
    }
    let temperature = sweeps > 1 ? temperatures.hot : temperatures.cold;
    for (let s = 0; s < sweeps; s++) {
      const beta = 1 / temperature;
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
      temperature *= ratio;
    }
  }

  return {
    bits: best,
    bitstring: bitsToLabel(best),
    energy: qubo.energy(best),
    sweeps,
    restarts,
    flipsProposed: sweeps * restarts * n,
    flipsAccepted: accepted,
    temperatures,
    wallTimeMs: performance.now() - started,
  };
}
