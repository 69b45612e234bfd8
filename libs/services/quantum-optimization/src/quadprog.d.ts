// Typing of the parts of `quadprog` (CommonJS, no bundled types) that quadratic-program.ts uses. Arrays are 1-based.
declare module 'quadprog' {
  interface QuadprogResult {
    solution: number[];
    Lagrangian: number[];
    value: number[];
    unconstrained_solution: number[];
    iterations: number[];
    iact: number[];
    message: string;
  }
  export function solveQP(
    Dmat: number[][],
    dvec: number[],
    Amat: number[][],
    bvec?: number[],
    meq?: number,
    factorized?: number[],
  ): QuadprogResult;
}
