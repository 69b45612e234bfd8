import type { ApiClient } from '../api/api-client';
import type { SessionApiKey } from '../api/session-api-key';
import type { OptimizationJob } from '../api/wire-types';
import { formatNumber } from '../ui/format';
import { JobWatch } from '../ui/job-watch';

/** `completed in 1.24 s · winner qaoa`; queued and running jobs report no progress, only their status. */
function statusText(job: OptimizationJob): string {
  if (job.status !== 'completed') return job.status;
  const took =
    job.startedAt !== null && job.finishedAt !== null
      ? ` in ${formatNumber((job.finishedAt - job.startedAt) / 1_000, 2)} s`
      : '';
  const winner = job.result?.winner.method;
  return `completed${took}${winner ? ` · winner ${winner}` : ''}`;
}

/**
 * One optimisation job started from the page, watched by a JobWatch: `GET /api/v1/optimizations/:id` every 500 ms
 * until it has ended, then `onEnd` with the job. A solve reports no progress, so the bar is empty while queued, shows
 * activity while running and is full once completed. Cancel sends `POST /api/v1/optimizations/:id/cancel` (trade
 * scope): a running solve's worker is terminated and the job ends cancelled moments later. The element is
 * `.optimization-job` with `data-id`, `data-status` and `data-polls`.
 */
export class OptimizationJobProgress {
  readonly element: HTMLElement;

  constructor(
    job: OptimizationJob,
    label: string,
    api: ApiClient,
    apiKey: SessionApiKey,
    onEnd: (job: OptimizationJob) => void,
  ) {
    const path = `/api/v1/optimizations/${encodeURIComponent(job.id)}`;
    this.element = new JobWatch<OptimizationJob>(
      {
        job,
        label,
        href: `#optimization=${encodeURIComponent(job.id)}`,
        noun: 'optimisation',
        className: 'optimization-job',
        readPath: path,
        cancelPath: `${path}/cancel`,
        describe: statusText,
        fraction: (state) => (state.status === 'running' ? null : state.status === 'completed' ? 1 : 0),
        stopping: 'the job ends once its solver has been stopped',
        onEnd,
      },
      api,
      apiKey,
    ).element;
  }
}
