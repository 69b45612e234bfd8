import fc from 'fast-check';
import { bitsToIndex, bitsToLabel, indexToBits, popcount, selectedIndices } from './bitstring';

describe('bitstring helpers', () => {
  it('puts x_i in bit i and prints x_0 first', () => {
    const bits = indexToBits(0b1101, 5);
    expect(Array.from(bits)).toEqual([1, 0, 1, 1, 0]);
    expect(bitsToLabel(bits)).toBe('10110');
    expect(selectedIndices(bits)).toEqual([0, 2, 3]);
    expect(bitsToIndex([0, 1, 1])).toBe(6);
  });

  it('round-trips indices and counts bits like a naive loop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 20 - 1 }), (index) => {
        const bits = indexToBits(index, 20);
        expect(bitsToIndex(bits)).toBe(index);
        expect(popcount(index)).toBe(bits.reduce((s, b) => s + b, 0));
      }),
    );
    expect(popcount(0xffffffff)).toBe(32);
  });

  it('refuses more bits than an index can hold', () => {
    expect(() => indexToBits(0, 31)).toThrow(/n: an indexed bitstring holds 0..30 bits/);
  });
});
