import type { ApiClient } from '../api/api-client';
import type { SessionApiKey } from '../api/session-api-key';
import type { BacktestProgress, BacktestSubmitted } from '../api/wire-types';
import { formatNumber, formatPercent } from '../ui/format';
import { JobWatch } from '../ui/job-watch';

function progressText(progress: BacktestProgress): string {
  const bars =
    progress.barsTotal === null
      ? ''
      : ` · ${formatNumber(progress.barsProcessed ?? 0)} / ${formatNumber(progress.barsTotal)} bars`;
  return `${progress.status}${bars} · ${formatPercent(progress.fraction)}`;
}

/**
 * One backtest job started from the page, watched by a JobWatch: a progress bar read from
 * `GET /api/v1/backtests/:id/progress` (bars replayed of the total) until the job has ended, then `onEnd` with its
 * last progress; Cancel sends `POST /api/v1/backtests/:id/cancel` (trade scope). A running replay ends cancelled once
 * it has stopped. The element is `.backtest-job` with `data-id`, `data-status` and `data-polls`.
 */
export class BacktestJobProgress {
  readonly element: HTMLElement;

  constructor(
    job: BacktestSubmitted,
    label: string,
    api: ApiClient,
    apiKey: SessionApiKey,
    onEnd: (progress: BacktestProgress) => void,
  ) {
    const path = `/api/v1/backtests/${encodeURIComponent(job.id)}`;
    this.element = new JobWatch<BacktestProgress>(
      {
        job,
        label,
        href: `#backtest=${encodeURIComponent(job.id)}`,
        noun: 'backtest',
        className: 'backtest-job',
        readPath: `${path}/progress`,
        cancelPath: `${path}/cancel`,
        describe: progressText,
        fraction: (progress) => progress.fraction,
        stopping: 'the job ends once its replay has stopped',
        onEnd,
      },
      api,
      apiKey,
    ).element;
  }
}
