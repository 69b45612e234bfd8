import { query, type ApiClient } from '../api/api-client';
import type { SessionApiKey } from '../api/session-api-key';
import type { ItemList, OptimizationJob } from '../api/wire-types';
import { h, renderTable, type Column } from '../ui/dom';
import { DASH, formatPercent, formatTime } from '../ui/format';
import { PanelFrame } from '../ui/panel';
import { OptimizationDetail } from './optimization-detail';
import { formatSharpe, headlineRun, namedSymbols, sharpeRatio } from './optimization-figures';
import { OptimizationForm } from './optimization-form';

const LIMIT = 50;
const HASH = /^#optimization=(.+)$/;
/** How often the detail of a queued or running job is read again. */
const DETAIL_READ_MS = 1_000;

/** A few symbols named, the rest counted; the cell's title lists them all. */
function symbolsOf(job: OptimizationJob): HTMLElement {
  return h('span', { title: job.request.symbols.join(', ') }, namedSymbols(job.request.symbols));
}

const JOB_COLUMNS: Column<OptimizationJob>[] = [
  { title: 'Submitted', cell: (j) => formatTime(j.submittedAt) },
  { title: 'Symbols', cell: symbolsOf, text: true },
  { title: 'k', cell: (j) => String(j.request.k) },
  { title: 'Method', cell: (j) => j.request.method, text: true },
  { title: 'Status', cell: (j) => j.status, text: true },
  { title: 'Winner', cell: (j) => j.result?.winner.method ?? DASH, text: true },
  { title: 'Return', cell: (j) => formatPercent(headlineRun(j)?.expectedReturn) },
  { title: 'Volatility', cell: (j) => formatPercent(headlineRun(j)?.volatility) },
  {
    title: 'Sharpe',
    cell: (j) => {
      const run = headlineRun(j);
      return formatSharpe(run ? sharpeRatio(run.expectedReturn, run.volatility) : null);
    },
  },
];

/**
 * "Portfolio optimisation": the form that starts a job (OptimizationForm), the stored jobs newest first
 * (`GET /api/v1/optimizations`) and, for the selected one (`#optimization=<id>`, else the newest), its detail
 * (`GET /api/v1/optimizations/:id`, OptimizationDetail), read again every second while that job is queued or running.
 * Once a job started from the form (or the one shown) has ended the list is read again, and a job started from the
 * form that completed opens. The section's `data-rows` counts the listed jobs.
 */
export class OptimizationsPanel {
  private readonly frame: PanelFrame;
  private readonly list: HTMLElement;
  private readonly detail = new OptimizationDetail();
  private jobs: OptimizationJob[] = [];
  private selected: string | undefined;
  private nextDetailRead: number | undefined;
  /** Selections made so far: numbers the reads of the detail (see readDetail). */
  private detailReads = 0;

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    apiKey: SessionApiKey,
  ) {
    this.frame = new PanelFrame(mount, 'Portfolio optimisation');
    const form = new OptimizationForm(api, apiKey, (job) => void this.jobEnded(job));
    void form.load();
    this.list = h('div', { class: 'optimization-list' });
    this.frame.body.append(form.element, h('div', { class: 'optimization-layout' }, this.list, this.detail.element));
    window.addEventListener('hashchange', () => void this.selectFromHash());
  }

  async load(): Promise<void> {
    try {
      const { items } = await this.api.get<ItemList<OptimizationJob>>(
        `/api/v1/optimizations${query({ limit: LIMIT })}`,
      );
      this.jobs = items;
      this.frame.root.dataset['rows'] = String(items.length);
      this.frame.setNote(`${items.length} stored job${items.length === 1 ? '' : 's'}`);
      this.renderList();
      this.frame.ok();
      await this.selectFromHash();
    } catch (error) {
      this.frame.fail(error);
    }
  }

  /**
   * A failed or cancelled job is stored too (the list shows it, and its detail if it is the one shown); a completed
   * one opens, the result being the point.
   */
  private async jobEnded(job: OptimizationJob): Promise<void> {
    await this.load();
    const hash = `#optimization=${encodeURIComponent(job.id)}`;
    if (job.status === 'completed' && window.location.hash !== hash) window.location.hash = hash;
    else if (job.status === 'completed' || job.id === this.selected) await this.reselect(job.id);
  }

  private renderList(): void {
    this.list.replaceChildren(
      renderTable(this.jobs, JOB_COLUMNS, {
        empty: 'No optimisations stored yet: start one above (or with POST /api/v1/optimizations).',
        rowKey: (j) => j.id,
        selectedKey: this.selected,
        onSelect: (j) => {
          const hash = `#optimization=${encodeURIComponent(j.id)}`;
          // The same row again reads the job again (a running one may have finished since).
          if (window.location.hash === hash) void this.reselect(j.id);
          else window.location.hash = hash;
        },
      }),
    );
  }

  private async selectFromHash(): Promise<void> {
    const match = HASH.exec(window.location.hash);
    const id = match ? decodeURIComponent(match[1]) : (this.selected ?? this.jobs[0]?.id);
    if (id === undefined || id === this.selected) return;
    await this.reselect(id);
  }

  private async reselect(id: string): Promise<void> {
    this.selected = id;
    window.clearTimeout(this.nextDetailRead);
    const read = ++this.detailReads;
    this.renderList();
    this.detail.loading();
    await this.readDetail(id, read);
  }

  /**
   * Shows the selected job as the API has it now; while it is queued or running (started elsewhere, or still going),
   * reads it again every second until it has ended, then reads the list again too. `read` is the selection it serves:
   * an answer for an earlier one is dropped, so one chain of reads at most goes on.
   */
  private async readDetail(id: string, read: number): Promise<void> {
    this.nextDetailRead = undefined;
    let job: OptimizationJob;
    try {
      job = await this.api.get<OptimizationJob>(`/api/v1/optimizations/${encodeURIComponent(id)}`);
    } catch (error) {
      if (read === this.detailReads) this.detail.failed((error as Error).message);
      return;
    }
    if (read !== this.detailReads) return;
    const wasUnfinished = this.detail.shownUnfinished(id);
    this.detail.show(job);
    if (job.status === 'queued' || job.status === 'running') {
      this.nextDetailRead = window.setTimeout(() => void this.readDetail(id, read), DETAIL_READ_MS);
    } else if (wasUnfinished) await this.load();
  }
}
