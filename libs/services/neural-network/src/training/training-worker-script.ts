import { bundledWorkerScript } from '@rrr/core';

const ENTRY = 'libs/services/neural-network/src/training/training-worker.ts';

/** The training worker (training-worker.ts) as JavaScript a worker thread can run, bundled once per process. */
export function trainingWorkerScript(): Promise<string> {
  return bundledWorkerScript(ENTRY, 'rrr-neural-network');
}
