import { query, type ApiClient } from '../api/api-client';
import type { SessionApiKey } from '../api/session-api-key';
import type { BacktestDetail, BacktestProgress, BacktestSummary, BacktestTrade, ItemList } from '../api/wire-types';
import { EquityDrawdownChart } from '../charts/equity-drawdown-chart';
import { h, renderTable, type Column } from '../ui/dom';
import { formatMoney, formatNumber, formatTime, signClass } from '../ui/format';
import { PanelFrame } from '../ui/panel';
import { BacktestForm } from './backtest-form';
import { benchmarkMetrics, formatMetric, HEADLINE_METRICS, strategyMetrics } from './backtest-metrics';
import { backtestRunRange } from './backtest-run-range';

const LIMIT = 50;

function symbolsOf(run: BacktestSummary): string {
  return Array.isArray(run.symbols) ? run.symbols.join(', ') : run.symbols;
}

const RUN_COLUMNS: Column<BacktestSummary>[] = [
  { title: 'Created', cell: (r) => formatTime(r.createdAt) },
  { title: 'Strategy', cell: (r) => r.strategy, text: true },
  { title: 'Symbols', cell: symbolsOf, text: true },
  { title: 'From', cell: (r) => backtestRunRange(r).first },
  { title: 'To', cell: (r) => backtestRunRange(r).last },
  { title: 'Status', cell: (r) => r.status, text: true },
  {
    title: 'Return',
    cell: (r) => formatMetric('totalReturn', strategyMetrics(r.metrics)['totalReturn']),
    className: (r) => signClass(strategyMetrics(r.metrics)['totalReturn'] as number | null),
  },
  { title: 'Sharpe', cell: (r) => formatMetric('sharpe', strategyMetrics(r.metrics)['sharpe']) },
  { title: 'Max DD', cell: (r) => formatMetric('maxDrawdown', strategyMetrics(r.metrics)['maxDrawdown']) },
];

const TRADE_COLUMNS: Column<BacktestTrade>[] = [
  { title: 'Symbol', cell: (t) => t.symbol },
  { title: 'Dir', cell: (t) => t.direction ?? t.side ?? '', text: true },
  { title: 'Qty', cell: (t) => formatNumber(t.quantity, 6) },
  { title: 'Entry', cell: (t) => formatTime(t.entryTs) },
  { title: 'Entry px', cell: (t) => formatNumber(t.entryPrice, 2) },
  { title: 'Exit', cell: (t) => formatTime(t.exitTs) },
  { title: 'Exit px', cell: (t) => formatNumber(t.exitPrice, 2) },
  { title: 'P&L', cell: (t) => formatMoney(t.pnl), className: (t) => signClass(t.pnl) },
  {
    title: 'Return',
    cell: (t) => (typeof t.returnPct === 'number' ? `${t.returnPct.toFixed(2)}%` : '—'),
    className: (t) => signClass(t.returnPct),
  },
];

/**
 * Stored backtest runs (`GET /api/v1/backtests`) and, for the selected one (`#backtest=<id>`), its detail
 * (`GET /api/v1/backtests/:id`): metrics against buy-and-hold, equity and drawdown, and the round trips. Above them,
 * the form that starts a backtest (BacktestForm): once a job started there has ended the list is read again, and a
 * completed run's detail opens.
 */
export class BacktestsPanel {
  private readonly frame: PanelFrame;
  private readonly list: HTMLElement;
  private readonly detail: HTMLElement;
  private runs: BacktestSummary[] = [];
  private selected: string | undefined;
  private chart: EquityDrawdownChart | undefined;

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    apiKey: SessionApiKey,
  ) {
    this.frame = new PanelFrame(mount, 'Backtests');
    const form = new BacktestForm(api, apiKey, (progress) => void this.jobEnded(progress));
    void form.load();
    this.list = h('div', { class: 'backtest-list' });
    this.detail = h('div', { class: 'backtest-detail', 'aria-live': 'polite' });
    this.frame.body.append(form.element, h('div', { class: 'backtest-layout' }, this.list, this.detail));
    window.addEventListener('hashchange', () => void this.selectFromHash());
  }

  async load(): Promise<void> {
    try {
      const { items } = await this.api.get<ItemList<BacktestSummary>>(`/api/v1/backtests${query({ limit: LIMIT })}`);
      this.runs = items;
      this.frame.root.dataset['rows'] = String(items.length);
      this.frame.setNote(`${items.length} stored run${items.length === 1 ? '' : 's'}`);
      this.renderList();
      this.frame.ok();
      await this.selectFromHash();
    } catch (error) {
      this.frame.fail(error);
    }
  }

  /** A failed run is stored too (the list shows it); only a completed one has a detail worth opening. */
  private async jobEnded(progress: BacktestProgress): Promise<void> {
    await this.load();
    if (progress.status === 'completed') window.location.hash = `backtest=${encodeURIComponent(progress.id)}`;
  }

  private renderList(): void {
    this.list.replaceChildren(
      renderTable(this.runs, RUN_COLUMNS, {
        empty: 'No stored backtests — run `rrr backtest --strategy sma-cross --symbol SPX`.',
        rowKey: (r) => r.id,
        selectedKey: this.selected,
        onSelect: (r) => {
          window.location.hash = `backtest=${encodeURIComponent(r.id)}`;
        },
      }),
    );
  }

  private async selectFromHash(): Promise<void> {
    const match = /^#backtest=(.+)$/.exec(window.location.hash);
    const id = match ? decodeURIComponent(match[1]) : this.runs[0]?.id;
    if (id === undefined || id === this.selected) return;
    this.selected = id;
    this.renderList();
    await this.showDetail(id);
  }

  private async showDetail(id: string): Promise<void> {
    this.detail.dataset['state'] = 'loading';
    this.detail.replaceChildren(h('div', { class: 'empty' }, 'Loading…'));
    try {
      const run = await this.api.get<BacktestDetail>(`/api/v1/backtests/${encodeURIComponent(id)}`);
      if (this.selected !== id) return;
      this.renderDetail(run);
    } catch (error) {
      if (this.selected !== id) return;
      this.detail.dataset['state'] = 'error';
      this.detail.replaceChildren(h('div', { class: 'panel-error', role: 'alert' }, (error as Error).message));
    }
  }

  private renderDetail(run: BacktestDetail): void {
    this.chart?.remove();
    this.chart = undefined;
    const strategy = strategyMetrics(run.metrics);
    const benchmark = benchmarkMetrics(run.benchmarkMetrics, run.benchmark, run.metrics);
    const metrics = h(
      'div',
      { class: 'metrics-grid', 'data-testid': 'backtest-metrics' },
      ...HEADLINE_METRICS.filter((m) => m.key in strategy).map((m) =>
        h(
          'div',
          {
            class: 'metric',
            'data-metric': m.key,
            title: benchmark ? `buy & hold: ${formatMetric(m.key, benchmark[m.key])}` : undefined,
          },
          h('span', { class: 'label' }, m.label),
          h('span', { class: 'value' }, formatMetric(m.key, strategy[m.key])),
        ),
      ),
    );
    const params = Object.entries(run.params ?? {})
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    const equity = run.equity ?? [];
    const chartBox = h('div', { class: 'chart short', 'aria-label': 'Backtest equity and drawdown chart' });
    const trades = run.trades ?? [];
    const range = backtestRunRange(run);
    this.detail.replaceChildren(
      h('h3', {}, `${run.strategy} · ${symbolsOf(run)} · ${range.first} → ${range.last}`, params ? ` · ${params}` : ''),
      metrics,
      equity.length > 0 ? chartBox : h('div', { class: 'empty' }, 'This run has no stored equity curve.'),
      h('h3', {}, `Trades (${trades.length})`),
      renderTable(trades, TRADE_COLUMNS, { empty: 'No round trips.' }),
    );
    if (equity.length > 0) {
      this.chart = new EquityDrawdownChart(chartBox);
      this.detail.dataset['points'] = String(this.chart.setPoints(equity));
    } else this.detail.dataset['points'] = '0';
    this.detail.dataset['id'] = run.id;
    this.detail.dataset['trades'] = String(trades.length);
    this.detail.dataset['state'] = 'ready';
  }
}
