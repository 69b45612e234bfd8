import { JOB_STATUSES, type JobStatus } from '@rrr/core';
import type { EstimatedInputs } from '../estimate-inputs-from-prices';
import type { PortfolioOptimization } from '../optimize-portfolio';
import type { ResolvedOptimizationRequest } from './optimization-request';

export const OPTIMIZATION_JOB_STATUSES = JOB_STATUSES;
export type OptimizationJobStatus = JobStatus;

/** An optimisation job: the checked request, the inputs estimated from stored bars, and (once done) the result. */
export interface OptimizationJob {
  id: string;
  status: OptimizationJobStatus;
  request: ResolvedOptimizationRequest;
  /** μ and Σ (annualised, from log returns of the aligned closes) and the bar times they came from. */
  inputs: EstimatedInputs & { firstTs: number; lastTs: number };
  result: PortfolioOptimization | null;
  error?: string;
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}
