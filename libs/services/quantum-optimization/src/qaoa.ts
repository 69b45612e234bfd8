import { ValidationError, type FieldProblem } from '@rrr/core';
import { approximationRatio } from './approximation-ratio';
import { bitsToLabel, indexToBits } from './bitstring';
import { energyTable, MAX_ENUMERATED_VARIABLES } from './energy-table';
import { minimizeNelderMead } from './nelder-mead';
import type { Qubo } from './qubo';
import { createRng } from './seeded-rng';
import { Statevector } from './statevector';

/** What runQaoa does when an option is left out. */
export const QAOA_DEFAULTS = Object.freeze({ layers: 3, restarts: 4, maxEvaluations: 200, shots: 1024 });

export interface QaoaOptions {
  /** Number of cost+mixer layers p. Default 3. */
  layers?: number;
  /** Nelder–Mead runs; the first starts from a linear-ramp schedule, the others from seeded random angles. Default 4. */
  restarts?: number;
  /** Total expectation evaluations (circuit simulations) shared by all restarts; never exceeded. Default 200. */
  maxEvaluations?: number;
  /** Measurements drawn from the final state to pick the answer. Default 1024. */
  shots?: number;
  seed?: number;
  /** Precomputed energy table of `qubo` (see energyTable), to avoid recomputing it. */
  energies?: Float64Array;
}

export interface QaoaResult {
  qubits: number;
  layers: number;
  /** Optimised angles: the circuit applies e^{−iγ_l C} with C the raw QUBO energy, then e^{−iβ_l Σ X}. */
  gammas: number[];
  betas: number[];
  /** ⟨C⟩ of the final state. */
  expectedEnergy: number;
  /** The lowest-energy bitstring among the sampled shots: the answer QAOA gives. */
  bestIndex: number;
  bits: Uint8Array;
  bitstring: string;
  bestEnergy: number;
  mostProbableIndex: number;
  mostProbableProbability: number;
  /** Total probability of the optimal state(s) in the final state (exact, read from the statevector). */
  probabilityOfOptimum: number;
  /** Whether any shot hit an optimum. */
  sampledOptimum: boolean;
  optimumEnergy: number;
  worstEnergy: number;
  /** approximationRatio(bestEnergy) over all 2^n bitstrings. */
  approximationRatio: number;
  /** approximationRatio(⟨C⟩): how far the state as a whole is from the optimum, over all 2^n bitstrings. */
  expectedApproximationRatio: number;
  evaluations: number;
  restarts: number;
  shots: number;
  wallTimeMs: number;
}

/**
 * Prepares the QAOA state |γ,β⟩ = Π_l e^{−iβ_l ΣX} e^{−iγ_l C} |+⟩^n. The cost layer is the diagonal unitary read from
 * the energy table (exact for any QUBO, one complex rotation per amplitude); the mixer e^{−iβX} on every qubit is
 * RX(2β).
 */
export function prepareQaoaState(
  energies: Float64Array,
  gammas: ArrayLike<number>,
  betas: ArrayLike<number>,
  state: Statevector = new Statevector(qubitsOf(energies)),
): Statevector {
  if (gammas.length !== betas.length) {
    throw new ValidationError('qaoa', [
      { field: 'betas', message: `must have as many angles as gammas (${gammas.length})`, value: betas.length },
    ]);
  }
  state.resetToUniform();
  for (let l = 0; l < gammas.length; l++) {
    state.applyDiagonalPhase(energies, gammas[l]);
    for (let q = 0; q < state.qubits; q++) state.rx(q, 2 * betas[l]);
  }
  return state;
}

/** ⟨γ,β|C|γ,β⟩. */
export function qaoaExpectation(
  energies: Float64Array,
  gammas: ArrayLike<number>,
  betas: ArrayLike<number>,
  state?: Statevector,
): number {
  return prepareQaoaState(energies, gammas, betas, state).expectation(energies);
}

/**
 * QAOA on our statevector simulator for a QUBO of at most 20 variables: p layers, angles optimised by Nelder–Mead
 * with seeded restarts on ⟨C⟩, the answer picked as the lowest-energy sample among `shots` measurements.
 *
 * γ is searched in units of the energy spread (C divided by its standard deviation over all bitstrings) so the same
 * initial angles suit any problem scale; results are reported in raw units.
 */
export function runQaoa(qubo: Qubo, options: QaoaOptions = {}): QaoaResult {
  const started = performance.now();
  const layers = options.layers ?? QAOA_DEFAULTS.layers;
  const restarts = options.restarts ?? QAOA_DEFAULTS.restarts;
  const maxEvaluations = options.maxEvaluations ?? QAOA_DEFAULTS.maxEvaluations;
  const shots = options.shots ?? QAOA_DEFAULTS.shots;
  const seed = options.seed ?? 1;
  const problems: FieldProblem[] = [];
  if (qubo.size > MAX_ENUMERATED_VARIABLES) {
    problems.push({
      field: 'qubo.size',
      message: `QAOA is simulated for at most ${MAX_ENUMERATED_VARIABLES} qubits (a 2^n statevector); use annealing for larger problems`,
      value: qubo.size,
    });
  }
  if (!Number.isInteger(layers) || layers < 1 || layers > 50) {
    problems.push({ field: 'layers', message: 'must be an integer in 1..50', value: layers });
  }
  if (!Number.isInteger(restarts) || restarts < 1) {
    problems.push({ field: 'restarts', message: 'must be a positive integer', value: restarts });
  }
  if (!Number.isInteger(maxEvaluations) || maxEvaluations < restarts) {
    problems.push({ field: 'maxEvaluations', message: 'must be an integer ≥ restarts', value: maxEvaluations });
  }
  if (!Number.isInteger(shots) || shots < 1) {
    problems.push({ field: 'shots', message: 'must be a positive integer', value: shots });
  }
  if (options.energies !== undefined && options.energies.length !== 2 ** qubo.size) {
    problems.push({ field: 'energies', message: `must have 2^${qubo.size} entries`, value: options.energies.length });
  }
  if (problems.length > 0) throw new ValidationError('qaoa', problems);

  const energies = options.energies ?? energyTable(qubo);
  const { min, max, std } = spectrum(energies);
  const scale = std > 0 ? std : 1;
  const state = new Statevector(qubo.size);
  const rng = createRng(seed);

  const toRaw = (normalised: Float64Array): { gammas: Float64Array; betas: Float64Array } => ({
    gammas: normalised.subarray(0, layers).map((g) => g / scale),
    betas: normalised.subarray(layers),
  });
  const objective = (angles: Float64Array): number => {
    const { gammas, betas } = toRaw(angles);
    return qaoaExpectation(energies, gammas, betas, state);
  };

  let bestAngles = linearRamp(layers);
  let bestValue = Infinity;
  let evaluations = 0;
  for (let r = 0; r < restarts; r++) {
    const budget = Math.floor(maxEvaluations / restarts) + (r < maxEvaluations % restarts ? 1 : 0);
    const start = r === 0 ? linearRamp(layers) : randomAngles(layers, rng);
    const result = minimizeNelderMead(objective, start, { maxEvaluations: budget, initialStep: 0.15 });
    evaluations += result.evaluations;
    if (result.value < bestValue) {
      bestValue = result.value;
      bestAngles = result.x;
    }
  }

  const { gammas, betas } = toRaw(bestAngles);
  prepareQaoaState(energies, gammas, betas, state);
  const expectedEnergy = state.expectation(energies);
  const probabilities = state.probabilities();
  const tolerance = 1e-9 * Math.max(1, max - min, Math.abs(min));
  let probabilityOfOptimum = 0;
  let mostProbableIndex = 0;
  for (let k = 0; k < probabilities.length; k++) {
    if (energies[k] <= min + tolerance) probabilityOfOptimum += probabilities[k];
    if (probabilities[k] > probabilities[mostProbableIndex]) mostProbableIndex = k;
  }
  const samples = state.sample(shots, rng);
  let bestIndex = samples[0];
  for (const s of samples) if (energies[s] < energies[bestIndex]) bestIndex = s;
  const bits = indexToBits(bestIndex, qubo.size);
  const bestEnergy = qubo.energyOfIndex(bestIndex);

  return {
    qubits: qubo.size,
    layers,
    gammas: Array.from(gammas),
    betas: Array.from(betas),
    expectedEnergy,
    bestIndex,
    bits,
    bitstring: bitsToLabel(bits),
    bestEnergy,
    mostProbableIndex,
    mostProbableProbability: probabilities[mostProbableIndex],
    probabilityOfOptimum: Math.min(1, probabilityOfOptimum),
    sampledOptimum: energies[bestIndex] <= min + tolerance,
    optimumEnergy: min,
    worstEnergy: max,
    approximationRatio: approximationRatio(bestEnergy, min, max),
    expectedApproximationRatio: approximationRatio(expectedEnergy, min, max),
    evaluations,
    restarts,
    shots,
    wallTimeMs: performance.now() - started,
  };
}

/** γ rising and β falling linearly over the layers: a discretised annealing path, the usual good QAOA start. */
function linearRamp(layers: number): Float64Array {
  const angles = new Float64Array(2 * layers);
  const dt = 0.75;
  for (let l = 0; l < layers; l++) {
    const t = (l + 0.5) / layers;
    angles[l] = t * dt;
    angles[layers + l] = (1 - t) * dt;
  }
  return angles;
}

function randomAngles(layers: number, rng: ReturnType<typeof createRng>): Float64Array {
  const angles = new Float64Array(2 * layers);
  for (let l = 0; l < layers; l++) {
    angles[l] = rng.next() * 1.5;
    angles[layers + l] = rng.next() * (Math.PI / 2);
  }
  return angles;
}

function spectrum(energies: Float64Array): { min: number; max: number; std: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const e of energies) {
    if (e < min) min = e;
    if (e > max) max = e;
    sum += e;
  }
  const mean = sum / energies.length;
  let squares = 0;
  for (const e of energies) squares += (e - mean) ** 2;
  return { min, max, std: Math.sqrt(squares / energies.length) };
}

function qubitsOf(energies: Float64Array): number {
  const n = Math.log2(energies.length);
  if (!Number.isInteger(n) || n < 1) {
    throw new ValidationError('qaoa', [
      { field: 'energies', message: 'length must be a power of two ≥ 2', value: energies.length },
    ]);
  }
  return n;
}
