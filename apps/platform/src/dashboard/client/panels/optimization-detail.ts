import type { OptimizationJob, PortfolioHolding, PortfolioRun } from '../api/wire-types';
import { h, renderTable, type Column } from '../ui/dom';
import { DASH, formatDate, formatNumber, formatPercent, formatProbability, formatTime } from '../ui/format';
import {
  assetVolatility,
  formatObjective,
  formatSharpe,
  headlineRun,
  sharpeRatio,
  weightSum,
} from './optimization-figures';

const SHARPE_TITLE = 'expected return ÷ volatility, both annualised, risk-free rate 0';

/** Daily bars read as days; intraday ones to the second. */
function formatBarTime(ts: number, interval: string): string {
  return interval === '1d' ? formatDate(ts) : formatTime(ts);
}

function metric(key: string, label: string, value: string, title?: string): HTMLElement {
  return h(
    'div',
    { class: 'metric', 'data-metric': key, title },
    h('span', { class: 'label' }, label),
    h('span', { class: 'value' }, value),
  );
}

interface AssetInput {
  symbol: string;
  expectedReturn: number;
  volatility: number;
}

const INPUT_COLUMNS: Column<AssetInput>[] = [
  { title: 'Symbol', cell: (a) => a.symbol },
  { title: 'Expected return', cell: (a) => formatPercent(a.expectedReturn) },
  { title: 'Volatility', cell: (a) => formatPercent(a.volatility) },
  { title: 'Sharpe', cell: (a) => formatSharpe(sharpeRatio(a.expectedReturn, a.volatility)) },
];

function runColumns(winner: string | null): Column<PortfolioRun>[] {
  return [
    { title: 'Method', cell: (r) => (r.method === winner ? `${r.method} ★` : r.method), text: true },
    { title: 'Holdings', cell: (r) => String(r.holdings.length) },
    { title: 'Return', cell: (r) => formatPercent(r.expectedReturn) },
    { title: 'Volatility', cell: (r) => formatPercent(r.volatility) },
    { title: 'Sharpe', cell: (r) => formatSharpe(sharpeRatio(r.expectedReturn, r.volatility)) },
    { title: 'Objective', cell: (r) => formatObjective(r.objective) },
    { title: 'Approx. ratio', cell: (r) => formatProbability(r.approximationRatio) },
    { title: 'P(optimum)', cell: (r) => formatProbability(r.probabilityOfOptimum) },
    { title: 'Feasible', cell: (r) => (r.feasible ? 'yes' : 'no'), text: true },
    { title: 'Evaluations', cell: (r) => formatNumber(r.evaluations) },
    { title: 'Time', cell: (r) => `${formatNumber(r.wallTimeMs, 1)} ms` },
  ];
}

/** A weight as a horizontal bar (long-only: 0 … 100 %). */
function weightBar(weight: number): HTMLElement {
  const fill = h('span', { class: 'weight-fill' });
  fill.style.width = `${Math.min(100, Math.max(0, weight * 100))}%`;
  return h('span', { class: 'weight-bar', role: 'img', 'aria-label': formatPercent(weight) }, fill);
}

const WEIGHT_COLUMNS: Column<PortfolioHolding>[] = [
  { title: 'Symbol', cell: (w) => w.symbol },
  { title: 'Weight', cell: (w) => formatPercent(w.weight) },
  { title: '', cell: (w) => weightBar(w.weight), className: () => 'weight-cell' },
];

/**
 * The detail of one optimisation job: its status (with the reason of a failed, interrupted or cancelled one), the
 * request with its defaults and the inputs estimated from the stored closes (per symbol μ, σ and Sharpe), and once
 * completed: the winner's sentence, every method's run side by side (return, volatility, Sharpe, objective,
 * approximation ratio, QAOA's chance of the optimum, work and time), the skipped methods, and the weights of one run —
 * the winner's to start with, another's on selecting its row — as a table with a bar per weight and their total.
 *
 * `data-id` and `data-status` name the job shown, `data-run` the run whose weights are shown and `data-weight-sum`
 * their exact sum.
 */
export class OptimizationDetail {
  readonly element: HTMLElement;
  private job: OptimizationJob | undefined;

  constructor() {
    this.element = h('div', { class: 'optimization-detail', 'aria-live': 'polite' });
  }

  /** Whether job `id` is shown, queued or running (so that its end is news). */
  shownUnfinished(id: string): boolean {
    return this.job?.id === id && (this.job.status === 'queued' || this.job.status === 'running');
  }

  loading(): void {
    this.job = undefined;
    this.element.dataset['state'] = 'loading';
    this.element.replaceChildren(h('div', { class: 'empty' }, 'Loading…'));
  }

  failed(message: string): void {
    this.job = undefined;
    this.element.dataset['state'] = 'error';
    this.element.replaceChildren(h('div', { class: 'panel-error', role: 'alert' }, message));
  }

  show(job: OptimizationJob, runMethod?: string): void {
    this.job = job;
    const { request, inputs } = job;
    const run = job.result?.runs.find((r) => r.method === runMethod) ?? (job.result ? headlineRun(job) : undefined);
    const assets: AssetInput[] = inputs.symbols.map((symbol, i) => ({
      symbol,
      expectedReturn: inputs.expectedReturns[i],
      volatility: assetVolatility(job, i),
    }));
    const span = `${formatBarTime(inputs.firstTs, request.interval)} → ${formatBarTime(inputs.lastTs, request.interval)}`;
    this.element.replaceChildren(
      h('h3', {}, `${request.method} · k = ${request.k} of ${request.symbols.length} · ${request.symbols.join(', ')}`),
      this.statusLine(job),
      h(
        'div',
        { class: 'metrics-grid', 'data-testid': 'optimization-request' },
        metric('interval', 'Bars', `${request.interval} · ${span}`),
        metric('observations', 'Returns used', formatNumber(inputs.observations)),
        metric('riskAversion', 'Risk aversion λ', formatNumber(request.riskAversion)),
        metric('seed', 'Seed', String(request.seed)),
        metric('submittedAt', 'Submitted', formatTime(job.submittedAt)),
        metric(
          'took',
          'Took',
          job.startedAt !== null && job.finishedAt !== null
            ? `${formatNumber((job.finishedAt - job.startedAt) / 1_000, 2)} s`
            : DASH,
        ),
      ),
      h('h4', {}, `Inputs: annualised from ${formatNumber(inputs.periodsPerYear)} periods a year`),
      renderTable(assets, INPUT_COLUMNS, { empty: 'No inputs.' }),
      ...(job.result ? this.result(job, run) : []),
    );
    this.element.dataset['id'] = job.id;
    this.element.dataset['status'] = job.status;
    if (run === undefined) {
      delete this.element.dataset['run'];
      delete this.element.dataset['weightSum'];
    } else {
      this.element.dataset['run'] = run.method;
      this.element.dataset['weightSum'] = String(weightSum(run));
    }
    this.element.dataset['state'] = 'ready';
  }

  private statusLine(job: OptimizationJob): HTMLElement {
    const ended = job.status === 'failed' || job.status === 'cancelled';
    const text =
      job.status === 'completed'
        ? 'completed'
        : ended
          ? `${job.status}: ${job.error ?? 'the server gave no reason'}`
          : `${job.status}: the result shows once it has completed`;
    return h('p', { class: `optimization-status${ended ? ' panel-error' : ''}`, 'data-status': job.status }, text);
  }

  private result(job: OptimizationJob, run: PortfolioRun | undefined): HTMLElement[] {
    const result = job.result;
    if (result === null) return [];
    const reference = result.reference;
    return [
      h('p', { class: 'winner-sentence' }, result.winner.sentence),
      ...(reference
        ? [
            h(
              'p',
              { class: 'form-hint' },
              `Best ${result.k}-asset selection by exhaustive search: ${reference.best.join(', ')} ` +
                `(objective ${formatObjective(reference.bestObjective)}; worst ${formatObjective(reference.worstObjective)})`,
            ),
          ]
        : []),
      h('h4', {}, `Runs (${result.runs.length})`),
      renderTable(result.runs, runColumns(result.winner.method), {
        empty: 'No method ran.',
        rowKey: (r) => r.method,
        selectedKey: run?.method,
        onSelect: (r) => {
          if (this.job === job) this.show(job, r.method);
        },
      }),
      ...(result.skipped.length > 0
        ? [
            h(
              'ul',
              { class: 'skipped-methods' },
              ...result.skipped.map((s) => h('li', { 'data-method': s.method }, `${s.method} skipped: ${s.reason}`)),
            ),
          ]
        : []),
      ...(run ? this.weights(run) : []),
    ];
  }

  private weights(run: PortfolioRun): HTMLElement[] {
    const table = renderTable(run.holdings, WEIGHT_COLUMNS, {
      empty: 'This run holds nothing.',
      rowKey: (w) => w.symbol,
    });
    table
      .querySelector('tbody')
      ?.append(
        h('tr', { class: 'weight-total' }, h('td', {}, 'Total'), h('td', {}, formatPercent(weightSum(run))), h('td')),
      );
    return [
      h(
        'h4',
        {},
        `Weights: ${run.method}`,
        h(
          'span',
          { class: 'weights-figures' },
          ` · return ${formatPercent(run.expectedReturn)} · volatility ${formatPercent(run.volatility)} · `,
          h('span', { title: SHARPE_TITLE }, `Sharpe ${formatSharpe(sharpeRatio(run.expectedReturn, run.volatility))}`),
        ),
      ),
      h('div', { class: 'optimization-weights', 'data-method': run.method }, table),
      h('p', { class: 'form-hint' }, run.notes),
    ];
  }
}
