import type { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { SessionApiKey } from '../api/session-api-key';
import type { BacktestJobStatus, BacktestProgress, BacktestSubmitted } from '../api/wire-types';
import { keyScopeProblem, setAvailability } from '../ui/button-availability';
import { h } from '../ui/dom';
import { formatNumber, formatPercent } from '../ui/format';

const POLL_MS = 500;
const ENDED: ReadonlySet<BacktestJobStatus> = new Set(['completed', 'failed', 'cancelled']);
/** The cancel route's answer for a job that has already ended. */
const ALREADY_ENDED = 409;

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
 * that fails ends the watch with what failed (the run itself goes on, and the runs list shows it once stored).
 *
 * While the job is queued or running, Cancel sends `POST /api/v1/backtests/:id/cancel` with the entered API key
 * (disabled, saying why, for a key below trade scope). A queued job ends cancelled at once; a running one once its
 * replay has stopped, which the next reads show. A job that ended before the click (409) shows how it ended; any other
 * refusal is shown under the bar, and the job is watched on.
 *
 * The element's `data-status` is the job's last known status (`unknown` after a failed read), `data-polls` how many
 * reads it took.
 */
export class BacktestJobProgress {
  readonly element: HTMLElement;
  private readonly path: string;
  private readonly bar: HTMLProgressElement;
  private readonly status: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly problem: HTMLElement;
  private readonly stopListening: () => void;
  private polls = 0;
  private nextPoll: number | undefined;
  /** The job has ended, or can no longer be read: nothing more is shown or sent. */
  private settled = false;
  /** A cancel is on its way, or was accepted and the job is stopping. */
  private cancelling = false;
  private cancelAccepted = false;

  constructor(
    private readonly job: BacktestSubmitted,
    label: string,
    private readonly api: ApiClient,
    private readonly apiKey: SessionApiKey,
    private readonly onEnd: (progress: BacktestProgress) => void,
  ) {
    this.path = `/api/v1/backtests/${encodeURIComponent(job.id)}`;
    this.bar = h('progress', { max: 1, value: 0, 'aria-label': `progress of backtest ${job.id}` });
    this.status = h('span', { class: 'job-status' }, job.status);
    this.cancelButton = h('button', { type: 'button', class: 'row-action', name: 'cancel' }, 'Cancel');
    this.cancelButton.addEventListener('click', () => void this.cancel());
    this.problem = h('div', { class: 'job-problem', role: 'alert', hidden: true });
    this.element = h(
      'div',
      { class: 'backtest-job', 'data-id': job.id, 'data-status': job.status, 'data-polls': 0 },
      h('a', { class: 'job-label', href: `#backtest=${encodeURIComponent(job.id)}` }, label),
      this.bar,
      this.status,
      this.cancelButton,
      this.problem,
    );
    this.stopListening = apiKey.onChange(() => this.updateCancel());
    this.updateCancel();
    void this.poll();
  }

  private async poll(): Promise<void> {
    this.nextPoll = undefined;
    const progress = await this.read();
    if (progress === undefined || this.settled) return;
    this.element.dataset['polls'] = String(++this.polls);
    this.update(progress);
    if (!this.settled) this.nextPoll = window.setTimeout(() => void this.poll(), POLL_MS);
  }

  /** The job's progress; undefined when it cannot be read, which ends the watch saying why. */
  private async read(): Promise<BacktestProgress | undefined> {
    try {
      return await this.api.get<BacktestProgress>(`${this.path}/progress`);
    } catch (error) {
      if (!this.settled) {
        this.element.dataset['status'] = 'unknown';
        this.showProblem(`progress unavailable: ${(error as Error).message}`);
        this.settle();
      }
      return undefined;
    }
  }

  /** Shows `progress`, the newest known (a read or the cancel's answer); once it says the job ended, ends the watch. */
  private update(progress: BacktestProgress): void {
    if (this.settled) return;
    this.element.dataset['status'] = progress.status;
    this.bar.value = progress.fraction;
    this.status.textContent = progressText(progress);
    if (progress.status === 'failed' || progress.status === 'cancelled') {
      this.showProblem(`${progress.status}: ${progress.error ?? 'the server gave no reason'}`);
    }
    if (ENDED.has(progress.status)) {
      this.settle();
      this.onEnd(progress);
    }
  }

  private settle(): void {
    this.settled = true;
    window.clearTimeout(this.nextPoll);
    this.stopListening();
    this.cancelButton.remove();
  }

  private updateCancel(): void {
    this.cancelButton.textContent = this.cancelling || this.cancelAccepted ? 'Cancelling…' : 'Cancel';
    setAvailability(
      this.cancelButton,
      [
        keyScopeProblem(this.apiKey.scope, 'trade', 'cancelling a backtest'),
        this.cancelAccepted && 'cancel accepted: the job ends once its replay has stopped',
        this.cancelling && 'the cancel is on its way',
      ],
      `cancel backtest ${this.job.id} (trade)`,
    );
  }

  private async cancel(): Promise<void> {
    if (this.settled || this.cancelling || this.cancelButton.disabled) return;
    this.cancelling = true;
    this.hideProblem();
    this.updateCancel();
    try {
      // 202 with the job's progress: cancelled already when it was queued, still running while a replay stops.
      this.update(await this.api.send<BacktestProgress>('POST', `${this.path}/cancel`));
      this.cancelAccepted = true;
    } catch (error) {
      if (error instanceof ApiError && error.status === ALREADY_ENDED) {
        // It ended between the last read and the click: how it ended is what there is to show.
        const progress = await this.read();
        if (progress !== undefined) this.update(progress);
      } else if (!this.settled) this.showProblem((error as Error).message);
    } finally {
      this.cancelling = false;
      this.updateCancel();
    }
  }

  private showProblem(text: string): void {
    this.problem.hidden = false;
    this.problem.textContent = text;
  }

  private hideProblem(): void {
    this.problem.hidden = true;
    this.problem.textContent = '';
  }
}
