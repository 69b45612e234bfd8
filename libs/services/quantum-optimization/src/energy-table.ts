import { ValidationError } from '@rrr/core';
import type { Qubo } from './qubo';

/** Largest problem enumerated in full (2^20 states, an 8 MiB energy table): exact solver and QAOA share it. */
export const MAX_ENUMERATED_VARIABLES = 20;

/**
 * Walks all 2^n bitstrings in Gray-code order, so consecutive states differ in one bit and each energy follows from
 * the previous one with the flip delta ±field_i (O(1)), after which the n local fields are updated (O(n)): O(n·2^n)
 * in total instead of O(n²·2^n) for evaluating every state from scratch. `visit(index, energy)` sees every state once.
 */
export function walkGrayCode(qubo: Qubo, visit: (index: number, energy: number) => void): void {
  const n = qubo.size;
  assertEnumerable(n, 'qubo.size');
  const { linear, coupling } = qubo;
  const field = Float64Array.from(linear);
  let x = 0;
  let energy = qubo.offset;
  visit(0, energy);
  const total = 2 ** n;
  for (let k = 1; k < total; k++) {
    const i = 31 - Math.clz32(k & -k);
    const mask = 1 << i;
    const row = i * n;
    if (x & mask) {
      energy -= field[i];
      for (let j = 0; j < n; j++) field[j] -= coupling[row + j];
    } else {
      energy += field[i];
      for (let j = 0; j < n; j++) field[j] += coupling[row + j];
    }
    x ^= mask;
    visit(x, energy);
  }
}

/** E(index) for every basis state: the diagonal of the cost Hamiltonian that QAOA's cost layer applies. */
export function energyTable(qubo: Qubo): Float64Array {
  const table = new Float64Array(2 ** qubo.size);
  walkGrayCode(qubo, (index, energy) => {
    table[index] = energy;
  });
  return table;
}

export function assertEnumerable(n: number, field: string): void {
  if (n > MAX_ENUMERATED_VARIABLES) {
    throw new ValidationError('enumeration', [
      {
        field,
        message: `${n} variables means 2^${n} states; full enumeration is limited to ${MAX_ENUMERATED_VARIABLES} — use simulated annealing or parallel tempering`,
        value: n,
      },
    ]);
  }
}
