import { ConflictError } from '../errors';

/**
 * What a JobQueue run throws when it finds that its stored job is no longer this process's to run: another process
 * that took the job over has started or ended it. The queue then forgets the job without a status change, so its
 * owner writes nothing over the row the other process now keeps, and reads of the job go to that stored row.
 */
export class JobClaimLostError extends ConflictError {
  constructor(jobName: string, id: string) {
    super(`${jobName} ${id} is no longer queued here: another process started or ended it`, { id });
  }
}
