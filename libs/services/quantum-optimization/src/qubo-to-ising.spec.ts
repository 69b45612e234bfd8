import fc from 'fast-check';
import { indexToBits } from './bitstring';
import { Qubo } from './qubo';
import { isingEnergy, quboToIsing } from './qubo-to-ising';

describe('quboToIsing', () => {
  it('keeps the energy of every bitstring', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 25, maxLength: 25 }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        (flat, offset) => {
          const q = Array.from({ length: 5 }, (_, i) => flat.slice(i * 5, i * 5 + 5));
          const qubo = Qubo.fromMatrix(q, offset);
          const ising = quboToIsing(qubo);
          for (let index = 0; index < 32; index++) {
            const x = indexToBits(index, 5);
            expect(isingEnergy(ising, x)).toBeCloseTo(qubo.energy(x), 9);
          }
        },
      ),
    );
  });

  it('maps a single linear term x to (1 − z)/2', () => {
    const ising = quboToIsing(Qubo.fromMatrix([[2]]));
    expect(ising.constant).toBe(1);
    expect(Array.from(ising.h)).toEqual([-1]);
  });
});
