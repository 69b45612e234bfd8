import type { FieldProblem } from '@rrr/core';
import type { OptimizePortfolioInput, PortfolioOptimization } from '../optimize-portfolio';

/** What the service sends an optimisation worker: one problem, solved once. */
export interface OptimizationWorkerRequest {
  input: OptimizePortfolioInput;
}

/** What the worker answers: the result, or the error (with its field problems when it was a ValidationError). */
export type OptimizationWorkerReply =
  | { ok: true; result: PortfolioOptimization }
  | { ok: false; message: string; problems?: readonly FieldProblem[] };
