import type { FileReadInfo } from '../sources/file-source';
import type { QualityReport } from '../validation/quality-report';
import {
  IMPORT_WORKER_NEXT,
  reviveError,
  type ImportWorkerMessage,
  type ImportWorkerRequest,
} from './import-worker-protocol';
import { acquireImportWorker, releaseImportWorker } from './import-worker-pool';
import { unpackBars } from './packed-bars';
import { createFileStage, type FileStaging, type FileStagingOptions, type StagedFileBatch } from './stage-file';

/**
 * Reads and checks a file on a worker thread (`script`: the bundled import-worker.ts), which parses the next batches
 * while the caller stores the one it was given. The worker runs the same source, checker and stage as `stageFile`, so
 * the batches, counts, report and errors are the same; only the thread differs.
 */
export function stageFileOnWorker(
  script: string,
  path: string,
  options: FileStagingOptions,
  signal?: AbortSignal,
): FileStaging {
  // Built here too so that bad options fail at once, on the caller's thread, exactly as in process.
  const { name } = createFileStage(path, options);
  let report: QualityReport | undefined;
  let info: FileReadInfo | undefined;
  return {
    name,
    async *batches(): AsyncGenerator<StagedFileBatch> {
      signal?.throwIfAborted();
      const worker = acquireImportWorker(script);
      let finished = false;
      const inbox: ImportWorkerMessage[] = [];
      let failure: unknown;
      let failed = false;
      let wake: (() => void) | undefined;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        failure = error;
        wake?.();
      };
      worker.on('message', (message: ImportWorkerMessage) => {
        inbox.push(message);
        wake?.();
      });
      worker.on('error', fail);
      worker.on('exit', (code) =>
        fail(new Error(`the import worker for ${path} exited (code ${code}) before finishing`)),
      );
      const abort = () => fail(signal?.reason);
      signal?.addEventListener('abort', abort, { once: true });
      worker.postMessage({ type: 'import', path, options } satisfies ImportWorkerRequest);
      try {
        for (;;) {
          while (inbox.length === 0 && !failed) await new Promise<void>((resolve) => (wake = resolve));
          signal?.throwIfAborted();
          const message = inbox.shift();
          if (message === undefined) throw failure;
          if (message.type === 'error') throw reviveError(message.error);
          if (message.type === 'done') {
            report = message.report;
            info = message.info;
            finished = true;
            return;
          }
          worker.postMessage(IMPORT_WORKER_NEXT);
          yield {
            bars: unpackBars(message.bars),
            quarantined: message.quarantined,
            itemsRead: message.itemsRead,
            charsRead: message.charsRead,
            problems: message.problems,
            errors: message.errors,
            final: message.final,
          };
        }
      } finally {
        signal?.removeEventListener('abort', abort);
        await releaseImportWorker(script, worker, finished);
      }
    },
    report: () => {
      if (report === undefined) throw new Error(`the import of ${path} has not finished: no report yet`);
      return report;
    },
    info: () => info,
  };
}
