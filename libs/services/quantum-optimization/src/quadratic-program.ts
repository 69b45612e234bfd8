import { ValidationError } from '@rrr/core';

/** The part of `quadprog` (CommonJS, no bundled types) used here. Arrays are 1-based. */
interface QuadprogResult {
  solution: number[];
  Lagrangian: number[];
  value: number[];
  unconstrained_solution: number[];
  iterations: number[];
  iact: number[];
  message: string;
}

interface Quadprog {
  solveQP(Dmat: number[][], dvec: number[], Amat: number[][], bvec?: number[], meq?: number): QuadprogResult;
}

// Typed here rather than through an ambient `declare module`, which every project compiling this file would need.
const { solveQP } = require('quadprog') as Quadprog;

export interface LinearConstraint {
  /** Coefficients a of a·x. */
  a: readonly number[];
  b: number;
}

export interface QuadraticProgram {
  /** Minimise ½·xᵀDx − dᵀx with D symmetric positive definite. */
  D: readonly (readonly number[])[];
  d: readonly number[];
  /** a·x = b. */
  equalities?: readonly LinearConstraint[];
  /** a·x ≥ b. */
  inequalities?: readonly LinearConstraint[];
}

export interface QuadraticProgramSolution {
  x: number[];
  /** ½·xᵀDx − dᵀx at the solution. */
  value: number;
  /** Active-set iterations reported by quadprog. */
  iterations: number;
}

/**
 * 0-based front of quadprog's Goldfarb–Idnani dual active-set solver (a 1-based port of R's solve.QP). Inputs are
 * copied because quadprog overwrites D with its factorisation and d with the unconstrained solution.
 */
export function solveQuadraticProgram(program: QuadraticProgram): QuadraticProgramSolution {
  const n = program.d.length;
  const constraints = [...(program.equalities ?? []), ...(program.inequalities ?? [])];
  const Dmat: number[][] = [[]];
  const dvec: number[] = [0];
  const Amat: number[][] = [[]];
  const bvec: number[] = [0];
  for (let i = 0; i < n; i++) {
    Dmat.push([0, ...program.D[i]]);
    dvec.push(program.d[i]);
    Amat.push([0, ...constraints.map((c) => c.a[i])]);
  }
  for (const c of constraints) bvec.push(c.b);
  if (constraints.length === 0) {
    // quadprog needs at least one constraint column: add the vacuous 0·x ≥ −1.
    for (let i = 1; i <= n; i++) Amat[i].push(0);
    bvec.push(-1);
  }
  const result = solveQP(Dmat, dvec, Amat, bvec, program.equalities?.length ?? 0);
  if (result.message) {
    const field = /positive definite/.test(result.message) ? 'D' : 'constraints';
    throw new ValidationError('quadratic program', [{ field, message: result.message }]);
  }
  return {
    x: result.solution.slice(1),
    value: result.value[1],
    iterations: result.iterations[1],
  };
}
