import type { ApiClient } from '../api/api-client';
import type { SessionApiKey } from '../api/session-api-key';
import { formatPercent } from '../ui/format';
import { JobWatch, type WatchedJobStatus } from '../ui/job-watch';

/** `POST /api/v1/models/training`'s answer. */
export interface TrainingSubmitted {
  id: string;
  status: WatchedJobStatus;
  submittedAt: number;
}

/** `GET /api/v1/models/training/:id` (and the cancel's answer), the fields the page reads. */
export interface TrainingJobState {
  id: string;
  status: WatchedJobStatus;
  error?: string;
  fraction: number;
  progress: { stage: string | null; message: string; epoch: number | null; maxEpochs: number | null };
  result: { model: string; status: string; served: boolean } | null;
}

function progressText(state: TrainingJobState): string {
  const { result, progress } = state;
  if (state.status === 'completed' && result !== null) {
    return `completed · ${result.model} ${result.status}${result.served ? ', served' : ''}`;
  }
  if (state.status !== 'running') return state.status;
  return `running · ${progress.message} · ${formatPercent(state.fraction)}`;
}

/**
 * One training job started from the predictions panel, watched by a JobWatch: a progress bar read from
 * `GET /api/v1/models/training/:id` (the pipeline's stage and epoch) until the job has ended, then `onEnd` with its
 * last state; Cancel sends `POST /api/v1/models/training/:id/cancel` (trade scope), which terminates the job's
 * worker. The element is `.training-job` with `data-id`, `data-status` and `data-polls`.
 */
export class ModelTrainingJobProgress {
  readonly element: HTMLElement;

  constructor(
    job: TrainingSubmitted,
    label: string,
    api: ApiClient,
    apiKey: SessionApiKey,
    onEnd: (state: TrainingJobState) => void,
  ) {
    const path = `/api/v1/models/training/${encodeURIComponent(job.id)}`;
    this.element = new JobWatch<TrainingJobState>(
      {
        job,
        label,
        href: '#predictions',
        noun: 'training job',
        className: 'training-job',
        readPath: path,
        cancelPath: `${path}/cancel`,
        describe: progressText,
        // Queued: nothing to tell yet.
        fraction: (state) => (state.status === 'queued' ? null : state.fraction),
        stopping: 'the job ends once its worker has stopped',
        onEnd,
      },
      api,
      apiKey,
    ).element;
  }
}
