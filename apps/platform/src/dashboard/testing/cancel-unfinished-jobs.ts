import { callApi } from '../../testing/start-jobs-platform';

/** How to read and cancel one kind of job over the API. */
export interface JobRoutes {
  /** The jobs' collection URL (`${api}/backtests`); `<collection>/<id>/cancel` cancels one. */
  collection: string;
  /** The job's status as its read answers it (backtests: their progress route; optimisations: the job). */
  statusOf: (id: string) => Promise<string>;
  /** A key of trade scope. */
  key: string;
}

/**
 * Cancels every job of `started` still queued or running and empties the list: whatever a failed test left behind
 * would otherwise hold the service's one-job queue for the next test.
 */
export async function cancelUnfinishedJobs(started: string[], routes: JobRoutes): Promise<void> {
  for (const id of started.splice(0)) {
    const status = await routes.statusOf(id);
    if (status === 'queued' || status === 'running') {
      const cancel = await callApi(`${routes.collection}/${id}/cancel`, { method: 'POST', key: routes.key });
      if (cancel.status !== 202)
        throw new Error(`cancelling job ${id} (left ${status}) answered ${cancel.status}, not 202`);
    }
  }
}
