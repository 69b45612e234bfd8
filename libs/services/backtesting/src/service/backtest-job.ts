import { JOB_STATUSES, type JobStatus } from '@rrr/core';
import type { BacktestRequest } from '../api/backtest-request';

export const BACKTEST_JOB_STATUSES = JOB_STATUSES;
export type BacktestJobStatus = JobStatus;

/** A backtest submitted to the backtesting service; its id is also the id of the stored run. */
export interface BacktestJob {
  id: string;
  status: BacktestJobStatus;
  request: BacktestRequest;
  /** 0 … 1: share of the replayed bars processed (1 once completed). */
  fraction: number;
  barsProcessed: number;
  /** Bars the replay goes through (warm-up history included); null until the replay has reported once. */
  barsTotal: number | null;
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Why the job failed or was cancelled. */
  error?: string;
}
