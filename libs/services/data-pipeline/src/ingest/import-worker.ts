// Entry of an import worker thread (bundled by importWorkerScript): reads, parses and checks the file of each import
// it is asked for, one at a time, and sends its batches as packed columns while the importing thread stores the
// previous ones. It stays up between imports (see import-worker-pool.ts), so later imports find it started and warm.
import { parentPort } from 'node:worker_threads';
import {
  IMPORT_WORKER_AHEAD,
  IMPORT_WORKER_NEXT,
  serializeError,
  type ImportWorkerMessage,
  type ImportWorkerRequest,
} from './import-worker-protocol';
import { packBars } from './packed-bars';
import { stageFile } from './stage-file';

const port = parentPort;
if (port === null) throw new Error('import-worker must run in a worker thread');

let credits = IMPORT_WORKER_AHEAD;
let wake: (() => void) | undefined;

const run = async (request: ImportWorkerRequest): Promise<void> => {
  const staging = stageFile(request.path, request.options);
  for await (const batch of staging.batches()) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    const bars = packBars(batch.bars);
    const message: ImportWorkerMessage = {
      type: 'batch',
      bars,
      quarantined: batch.quarantined,
      itemsRead: batch.itemsRead,
      charsRead: batch.charsRead,
      problems: batch.problems,
      errors: batch.errors,
      final: batch.final,
    };
    port.postMessage(message, [bars.values.buffer, bars.seriesIndex.buffer]);
  }
  port.postMessage({ type: 'done', report: staging.report(), info: staging.info() } satisfies ImportWorkerMessage);
};

port.on('message', (message: ImportWorkerRequest | typeof IMPORT_WORKER_NEXT) => {
  if (message === IMPORT_WORKER_NEXT) {
    credits++;
    wake?.();
    return;
  }
  credits = IMPORT_WORKER_AHEAD;
  run(message).catch((error: unknown) =>
    port.postMessage({ type: 'error', error: serializeError(error) } satisfies ImportWorkerMessage),
  );
});
