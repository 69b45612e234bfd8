import { DatabaseError } from '../errors';

/** Both dialects refuse the same bad `stream` batch sizes with the same message. */
export function assertStreamBatchSize(batchSize: number): void {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new DatabaseError(`stream batchSize must be a positive integer, got ${batchSize}`);
  }
}
