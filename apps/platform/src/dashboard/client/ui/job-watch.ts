import type { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { SessionApiKey } from '../api/session-api-key';
import { keyScopeProblem, setAvailability } from './button-availability';
import { h } from './dom';

/** The statuses every job of the platform's job queues goes through. */
export type WatchedJobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** What a job's read answers at least: its status, and why it failed or was cancelled. */
export interface WatchedJobState {
  status: WatchedJobStatus;
  error?: string;
}

const POLL_MS = 500;
const ENDED: ReadonlySet<WatchedJobStatus> = new Set(['completed', 'failed', 'cancelled']);
/** The cancel routes' answer for a job that has already ended. */
const ALREADY_ENDED = 409;

export interface JobWatchOptions<S extends WatchedJobState> {
  /** The job's id and its status when it was accepted. */
  job: { id: string; status: WatchedJobStatus };
  /** What the job is, in the user's words (`sma-cross · SPX`); a link to its stored run. */
  label: string;
  href: string;
  /** The job's kind in titles and labels: `backtest`, `optimisation`. */
  noun: string;
  /** A class naming the kind of job, beside `job-watch` (specs and styles select on it). */
  className: string;
  /** The route read every 500 ms until the job has ended. */
  readPath: string;
  /** The route that cancels it (202 with the same shape as a read; 409 once ended). */
  cancelPath: string;
  /** The status line under the bar: `running · 120 / 1,000 bars · 12.00%`. */
  describe: (state: S) => string;
  /** The bar's fill in [0, 1]; null while it cannot be told (the bar then shows activity without a figure). */
  fraction: (state: S) => number | null;
  /** Why Cancel stays disabled once a cancel of a running job was accepted: what the job still has to do. */
  stopping: string;
  onEnd: (state: S) => void;
}

/**
 * One job started from the page: a progress bar read from `readPath` every 500 ms until the job has ended, then
 * `onEnd` with its last state. A failed or cancelled job shows why; a read that fails ends the watch with what failed
 * (the job itself goes on, and the runs list shows it once stored).
 *
 * While the job is queued or running, Cancel sends `cancelPath` with the entered API key (disabled, saying why, for a
 * key below trade scope). A queued job ends cancelled at once; a running one once it has stopped, which the next reads
 * show. A job that ended before the click (409) shows how it ended; any other refusal is shown under the bar, and the
 * job is watched on.
 *
 * The element's `data-status` is the job's last known status (`unknown` after a failed read), `data-polls` how many
 * reads it took.
 */
export class JobWatch<S extends WatchedJobState> {
  readonly element: HTMLElement;
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
    private readonly options: JobWatchOptions<S>,
    private readonly api: ApiClient,
    private readonly apiKey: SessionApiKey,
  ) {
    const { job } = options;
    this.bar = h('progress', { max: 1, value: 0, 'aria-label': `progress of ${options.noun} ${job.id}` });
    this.status = h('span', { class: 'job-status' }, job.status);
    this.cancelButton = h('button', { type: 'button', class: 'row-action', name: 'cancel' }, 'Cancel');
    this.cancelButton.addEventListener('click', () => void this.cancel());
    this.problem = h('div', { class: 'job-problem', role: 'alert', hidden: true });
    this.element = h(
      'div',
      { class: `job-watch ${options.className}`, 'data-id': job.id, 'data-status': job.status, 'data-polls': 0 },
      h('a', { class: 'job-label', href: options.href }, options.label),
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
    const state = await this.read();
    if (state === undefined || this.settled) return;
    this.element.dataset['polls'] = String(++this.polls);
    this.update(state);
    if (!this.settled) this.nextPoll = window.setTimeout(() => void this.poll(), POLL_MS);
  }

  /** The job's state; undefined when it cannot be read, which ends the watch saying why. */
  private async read(): Promise<S | undefined> {
    try {
      return await this.api.get<S>(this.options.readPath);
    } catch (error) {
      if (!this.settled) {
        this.element.dataset['status'] = 'unknown';
        this.showProblem(`progress unavailable: ${(error as Error).message}`);
        this.settle();
      }
      return undefined;
    }
  }

  /** Shows `state`, the newest known (a read or the cancel's answer); once it says the job ended, ends the watch. */
  private update(state: S): void {
    if (this.settled) return;
    this.element.dataset['status'] = state.status;
    const fraction = this.options.fraction(state);
    if (fraction === null) this.bar.removeAttribute('value');
    else this.bar.value = fraction;
    this.status.textContent = this.options.describe(state);
    if (state.status === 'failed' || state.status === 'cancelled') {
      this.showProblem(`${state.status}: ${state.error ?? 'the server gave no reason'}`);
    }
    if (ENDED.has(state.status)) {
      this.settle();
      this.options.onEnd(state);
    }
  }

  private settle(): void {
    this.settled = true;
    window.clearTimeout(this.nextPoll);
    this.stopListening();
    this.cancelButton.remove();
  }

  private updateCancel(): void {
    const { noun, job, stopping } = this.options;
    this.cancelButton.textContent = this.cancelling || this.cancelAccepted ? 'Cancelling…' : 'Cancel';
    setAvailability(
      this.cancelButton,
      [
        keyScopeProblem(this.apiKey.scope, 'trade', `cancelling ${article(noun)} ${noun}`),
        this.cancelAccepted && `cancel accepted: ${stopping}`,
        this.cancelling && 'the cancel is on its way',
      ],
      `cancel ${noun} ${job.id} (trade)`,
    );
  }

  private async cancel(): Promise<void> {
    if (this.settled || this.cancelling || this.cancelButton.disabled) return;
    this.cancelling = true;
    this.hideProblem();
    this.updateCancel();
    try {
      // 202 with the job's state: cancelled already when it was queued, still running while it stops.
      this.update(await this.api.send<S>('POST', this.options.cancelPath));
      this.cancelAccepted = true;
    } catch (error) {
      if (error instanceof ApiError && error.status === ALREADY_ENDED) {
        // It ended between the last read and the click: how it ended is what there is to show.
        const state = await this.read();
        if (state !== undefined) this.update(state);
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

/** `a backtest`, `an optimisation`. */
function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}
