import { bundledWorkerScript } from '@rrr/core';

const ENTRY = 'libs/services/quantum-optimization/src/service/optimization-worker.ts';

/** The optimisation worker (optimization-worker.ts) as JavaScript a worker thread can run, bundled once per process. */
export function optimizationWorkerScript(): Promise<string> {
  return bundledWorkerScript(ENTRY, 'rrr-quantum-optimization');
}
