import { bundledWorkerScript } from '@rrr/core';

const ENTRY = 'libs/services/data-pipeline/src/ingest/import-worker.ts';

/**
 * The import worker (import-worker.ts) as JavaScript a worker thread can run: bundled with esbuild once per process
 * into the workspace's node_modules/.cache/rrr-data-pipeline/, or the one prebuilt beside a deployed bundle.
 */
export function importWorkerScript(): Promise<string> {
  return bundledWorkerScript(ENTRY, 'rrr-data-pipeline');
}
