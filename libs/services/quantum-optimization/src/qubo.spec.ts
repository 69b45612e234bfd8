import fc from 'fast-check';
import { ValidationError } from '@rrr/core';
import { indexToBits } from './bitstring';
import { Qubo } from './qubo';

/** xᵀQx + c computed literally, the definition every representation must agree with. */
function bruteEnergy(q: number[][], x: ArrayLike<number>, offset: number): number {
  let e = offset;
  for (let i = 0; i < q.length; i++) for (let j = 0; j < q.length; j++) e += x[i] * q[i][j] * x[j];
  return e;
}

const squareMatrix = (n: number) =>
  fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }), {
    minLength: n,
    maxLength: n,
  });

describe('Qubo', () => {
  it('gives xᵀQx + offset for any square Q, and the same energy from its upper-triangular and symmetric forms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }).chain((n) => fc.tuple(squareMatrix(n), fc.integer({ min: 0, max: 2 ** n - 1 }))),
        fc.double({ min: -3, max: 3, noNaN: true }),
        ([q, index], offset) => {
          const qubo = Qubo.fromMatrix(q, offset);
          const x = indexToBits(index, q.length);
          const expected = bruteEnergy(q, x, offset);
          expect(qubo.energy(x)).toBeCloseTo(expected, 9);
          expect(qubo.energyOfIndex(index)).toBeCloseTo(expected, 9);
          expect(bruteEnergy(qubo.toUpperTriangular(), x, offset)).toBeCloseTo(expected, 9);
          expect(bruteEnergy(qubo.toSymmetric(), x, offset)).toBeCloseTo(expected, 9);
        },
      ),
    );
  });

  it('computes the flip delta as the energy difference', () => {
    fc.assert(
      fc.property(squareMatrix(6), fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 5 }), (q, index, i) => {
        const qubo = Qubo.fromMatrix(q);
        const x = indexToBits(index, 6);
        const flipped = Uint8Array.from(x);
        flipped[i] ^= 1;
        expect(qubo.flipDelta(x, i)).toBeCloseTo(qubo.energy(flipped) - qubo.energy(x), 9);
      }),
    );
  });

  it('builds from terms, adding repeated pairs', () => {
    const qubo = Qubo.fromTerms(
      [1, -2, 0.5],
      [
        { i: 0, j: 1, weight: 3 },
        { i: 1, j: 0, weight: 1 },
        { i: 2, j: 0, weight: -1 },
      ],
      4,
    );
    expect(qubo.toUpperTriangular()).toEqual([
      [1, 4, -1],
      [0, -2, 0],
      [0, 0, 0.5],
    ]);
    expect(qubo.energy([1, 1, 1])).toBeCloseTo(4 + 1 - 2 + 0.5 + 4 - 1, 12);
    expect(qubo.magnitude()).toBeCloseTo(4 + 1 + 2 + 0.5 + 4 + 1, 12);
  });

  it('names the offending entry of an invalid matrix', () => {
    expect(() => Qubo.fromMatrix([[1, 2], [3]])).toThrow(/matrix\[1\]: must have 2 entries/);
    expect(() =>
      Qubo.fromMatrix([
        [1, Number.NaN],
        [0, 1],
      ]),
    ).toThrow(/matrix\[0\]\[1\]: must be finite/);
    expect(() => Qubo.fromMatrix([])).toThrow(ValidationError);
    expect(() => Qubo.fromTerms([1, 2], [{ i: 0, j: 0, weight: 1 }])).toThrow(/pairs\[0\]/);
    expect(() => Qubo.fromMatrix([[1]]).energy([1, 0])).toThrow(/x: must have 1 bits/);
  });
});
