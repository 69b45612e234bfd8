import { solveQuadraticProgram } from './quadratic-program';

describe('solveQuadraticProgram', () => {
  it('solves the quadprog / R solve.QP reference example', () => {
    // min −(0,5,0)·b + ½bᵀb  s.t.  Aᵀb ≥ (−8, 2, 0), the example of R's quadprog documentation.
    const solution = solveQuadraticProgram({
      D: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      d: [0, 5, 0],
      inequalities: [
        { a: [-4, -3, 0], b: -8 },
        { a: [2, 1, 0], b: 2 },
        { a: [0, -2, 1], b: 0 },
      ],
    });
    expect(solution.x[0]).toBeCloseTo(0.4761905, 6);
    expect(solution.x[1]).toBeCloseTo(1.047619, 6);
    expect(solution.x[2]).toBeCloseTo(2.0952381, 6);
    expect(solution.value).toBeCloseTo(-2.380952, 6);
  });

  it('honours equalities and solves an unconstrained program', () => {
    const eq = solveQuadraticProgram({
      D: [
        [2, 0],
        [0, 2],
      ],
      d: [0, 0],
      equalities: [{ a: [1, 1], b: 1 }],
    });
    expect(eq.x[0]).toBeCloseTo(0.5, 12);
    expect(eq.x[1]).toBeCloseTo(0.5, 12);
    const free = solveQuadraticProgram({ D: [[4]], d: [2] });
    expect(free.x[0]).toBeCloseTo(0.5, 12);
  });

  it('reports inconsistent constraints and a non-positive-definite D by field', () => {
    expect(() =>
      solveQuadraticProgram({
        D: [[1]],
        d: [0],
        inequalities: [
          { a: [1], b: 2 },
          { a: [-1], b: -1 },
        ],
      }),
    ).toThrow(/constraints: constraints are inconsistent/);
    expect(() => solveQuadraticProgram({ D: [[0]], d: [1], equalities: [{ a: [1], b: 1 }] })).toThrow(/D: matrix D/);
  });
});
