import type { ApiClient } from '../api/api-client';
import type { BacktestJobStatus, BacktestProgress, BacktestSubmitted } from '../api/wire-types';
import { h } from '../ui/dom';
import { formatNumber, formatPercent } from '../ui/format';

const POLL_MS = 500;
const ENDED: ReadonlySet<BacktestJobStatus> = new Set(['completed', 'failed', 'cancelled']);

function progressText(progress: BacktestProgress): string {
  const bars =
    progress.barsTotal === null
      ? ''
      : ` · ${formatNumber(progress.barsProcessed ?? 0)} / ${formatNumber(progress.barsTotal)} bars`;
  return `${progress.status}${bars} · ${formatPercent(progress.fraction)}`;
}

/**
 * One backtest job started from the page: a progress bar read from `GET /api/v1/backtests/:id/progress` every 500 ms
 * until the job has ended, then `onEnd` with its last progress. A failed or cancelled job shows why; a progress read
 * that fails ends the watch with what failed (the run itself goes on, and the runs list shows it once stored). The
 * element's `data-status` is the job's last known status (`unknown` after a failed read), `data-polls` how many reads
 * it took.
 */
export class BacktestJobProgress {
  readonly element: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly status: HTMLElement;
  private readonly problem: HTMLElement;
  private polls = 0;

  constructor(
    job: BacktestSubmitted,
    label: string,
    private readonly api: ApiClient,
    private readonly onEnd: (progress: BacktestProgress) => void,
  ) {
    this.bar = h('progress', { max: 1, value: 0, 'aria-label': `progress of backtest ${job.id}` });
    this.status = h('span', { class: 'job-status' }, job.status);
    this.problem = h('div', { class: 'job-problem', role: 'alert', hidden: true });
    this.element = h(
      'div',
      { class: 'backtest-job', 'data-id': job.id, 'data-status': job.status, 'data-polls': 0 },
      h('a', { class: 'job-label', href: `#backtest=${encodeURIComponent(job.id)}` }, label),
      this.bar,
      this.status,
      this.problem,
    );
    void this.poll(job.id);
  }

  private async poll(id: string): Promise<void> {
    let progress: BacktestProgress;
    try {
      progress = await this.api.get<BacktestProgress>(`/api/v1/backtests/${encodeURIComponent(id)}/progress`);
    } catch (error) {
      this.element.dataset['status'] = 'unknown';
      this.showProblem(`progress unavailable: ${(error as Error).message}`);
      return;
    }
    this.element.dataset['polls'] = String(++this.polls);
    this.show(progress);
    if (ENDED.has(progress.status)) this.onEnd(progress);
    else window.setTimeout(() => void this.poll(id), POLL_MS);
  }

  private show(progress: BacktestProgress): void {
    this.element.dataset['status'] = progress.status;
    this.bar.value = progress.fraction;
    this.status.textContent = progressText(progress);
    if (progress.status === 'failed' || progress.status === 'cancelled') {
      this.showProblem(`${progress.status}: ${progress.error ?? 'the server gave no reason'}`);
    }
  }

  private showProblem(text: string): void {
    this.problem.hidden = false;
    this.problem.textContent = text;
  }
}
