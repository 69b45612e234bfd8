import { bundledWorkerScript } from '@rrr/core';

const ENTRY = 'libs/services/backtesting/src/sweep/sweep-worker.ts';

/**
 * A JavaScript file a worker thread can run: the TypeScript worker entry (sweep-worker.ts) bundled with esbuild,
 * once per process, into the workspace's node_modules/.cache/rrr-backtesting/ (core's bundledWorkerScript).
 */
export function sweepWorkerScript(): Promise<string> {
  return bundledWorkerScript(ENTRY, 'rrr-backtesting');
}
