import { ValidationError } from '@rrr/core';

/**
 * Bit conventions used throughout: bit i of a basis-state index is variable x_i (qubit i), the same little-endian
 * order as `quantum-circuit`'s wires; a bitstring label prints x_0 first (leftmost), so asset i is character i.
 */
export const MAX_INDEXED_BITS = 30;

/** The bits of `index` as a 0/1 array of length n (x_i = bit i). */
export function indexToBits(index: number, n: number): Uint8Array {
  assertIndexable(n);
  const bits = new Uint8Array(n);
  for (let i = 0; i < n; i++) bits[i] = (index >>> i) & 1;
  return bits;
}

/** The basis-state index of a 0/1 array (x_i = bit i). */
export function bitsToIndex(bits: ArrayLike<number>): number {
  assertIndexable(bits.length);
  let index = 0;
  for (let i = 0; i < bits.length; i++) if (bits[i]) index |= 1 << i;
  return index >>> 0;
}

/** `x_0 x_1 … x_{n-1}` as a string of 0/1 characters, asset 0 first. */
export function bitsToLabel(bits: ArrayLike<number>): string {
  let label = '';
  for (let i = 0; i < bits.length; i++) label += bits[i] ? '1' : '0';
  return label;
}

/** Positions of the set bits, ascending: the selected assets of a selection vector. */
export function selectedIndices(bits: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < bits.length; i++) if (bits[i]) out.push(i);
  return out;
}

/** Number of set bits of a 32-bit integer. */
export function popcount(value: number): number {
  let v = value >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function assertIndexable(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_INDEXED_BITS) {
    throw new ValidationError('bitstring', [
      { field: 'n', message: `an indexed bitstring holds 0..${MAX_INDEXED_BITS} bits`, value: n },
    ]);
  }
}
