import type { FieldProblem, OpenDatabaseOptions } from '@rrr/core';
import type { TrainingProgress } from './training-progress';
import type { TrainingJobRequest } from './training-job-request';

/** The database a training worker opens for itself (a connection cannot cross threads). */
export type TrainingDatabaseOptions = Pick<OpenDatabaseOptions, 'url' | 'sqlitePath' | 'busyTimeoutMs'>;

/** What the service sends a training worker: one request, trained and registered once. */
export interface TrainingWorkerRequest {
  request: TrainingJobRequest;
  database: TrainingDatabaseOptions;
  modelsDir: string;
}

/** What the worker sends back: progress as the pipeline reports it, then the registered model or the error. */
export type TrainingWorkerMessage =
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'done'; model: string; id: number; status: string; verdict: string[]; holdoutAccuracy: number | null }
  | { type: 'failed'; message: string; problems?: readonly FieldProblem[] };
