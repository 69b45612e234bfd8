import { RrrError, ValidationError } from '@rrr/core';
import { DataFileError } from '../files/data-file-error';
import type { FileReadInfo } from '../sources/file-source';
import type { QuarantineEntry } from '../validation/bar-quality-checker';
import type { QualityReport } from '../validation/quality-report';
import type { PackedBars } from './packed-bars';
import type { FileStagingOptions } from './stage-file';

/** What an import worker is asked to do: one import at a time; a worker serves the next once it sent `done`. */
export interface ImportWorkerRequest {
  type: 'import';
  path: string;
  options: FileStagingOptions;
}

/** An error as it crosses the thread boundary: enough to rebuild the same class, message and fields. */
export interface SerializedError {
  className: string;
  message: string;
  stack?: string;
  /** Own enumerable fields (code, details, file, line, problems …). */
  fields: Record<string, unknown>;
}

/**
 * What the worker sends, in order: batches (at most IMPORT_WORKER_AHEAD not yet taken by the importing thread),
 * then `done` with the report — or `error` at any point.
 */
export type ImportWorkerMessage =
  | {
      type: 'batch';
      bars: PackedBars;
      quarantined: QuarantineEntry[];
      itemsRead: number;
      charsRead: number;
      problems: number;
      errors: number;
      final: boolean;
    }
  | { type: 'done'; report: QualityReport; info: FileReadInfo | undefined }
  | { type: 'error'; error: SerializedError };

/** The importing thread's word that it took a batch: the worker may parse one more. */
export const IMPORT_WORKER_NEXT = 'next';

/** Batches the worker may have sent and the importing thread not yet taken: enough to overlap, bounded memory. */
export const IMPORT_WORKER_AHEAD = 4;

const ERROR_CLASSES: Readonly<Record<string, { prototype: Error }>> = {
  DataFileError,
  ValidationError,
  RrrError,
};

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { className: 'Error', message: String(error), fields: {} };
  return {
    className: error.constructor.name,
    message: error.message,
    stack: error.stack,
    fields: { ...error },
  };
}

/** The error the worker threw, as an instance of its class when it is one of ours (DataFileError …). */
export function reviveError(serialized: SerializedError): Error {
  const proto = (ERROR_CLASSES[serialized.className] ?? Error).prototype;
  const error = Object.create(proto) as Error;
  Object.defineProperty(error, 'message', { value: serialized.message, writable: true, configurable: true });
  if (serialized.stack !== undefined) {
    Object.defineProperty(error, 'stack', { value: serialized.stack, writable: true, configurable: true });
  }
  return Object.assign(error, serialized.fields);
}
