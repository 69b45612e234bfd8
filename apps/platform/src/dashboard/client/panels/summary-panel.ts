import type { ApiClient } from '../api/api-client';
import type { PortfolioSnapshot } from '../api/wire-types';
import { debounce } from '../live/debounce';
import type { LiveSocket } from '../live/live-socket';
import { h } from '../ui/dom';
import { formatMoney, formatNumber, formatPercent, signClass } from '../ui/format';

const REFRESH_MS = 10_000;

/** The header's portfolio figures (`GET /api/v1/portfolio`), refreshed on position changes and every 10 s. */
export class SummaryPanel {
  constructor(
    private readonly root: HTMLElement,
    private readonly api: ApiClient,
    live: LiveSocket,
  ) {
    const refresh = debounce(() => void this.load(), 500);
    live.on('portfolio', refresh);
    live.on('fills', refresh);
    live.onResync(refresh);
    window.setInterval(() => void this.load(), REFRESH_MS);
  }

  async load(): Promise<void> {
    try {
      const p = await this.api.get<PortfolioSnapshot>('/api/v1/portfolio');
      const kpi = (label: string, value: string, className = '') =>
        h(
          'div',
          { class: 'kpi' },
          h('span', { class: 'label' }, label),
          h('span', { class: `value ${className}` }, value),
        );
      this.root.replaceChildren(
        kpi('Equity', formatMoney(p.equity)),
        kpi('Cash', formatMoney(p.cash)),
        kpi('Exposure', formatMoney(p.exposure)),
        kpi('Leverage', p.leverage === undefined ? '—' : `${formatNumber(p.leverage, 2)}×`),
        kpi('Drawdown', formatPercent(p.drawdown), formatPercent(p.drawdown) === '0.00%' ? '' : signClass(p.drawdown)),
        kpi('Unrealized', formatMoney(p.unrealizedPnl), signClass(p.unrealizedPnl)),
        kpi('Realized', formatMoney(p.realizedPnl), signClass(p.realizedPnl)),
        kpi('Fees', formatMoney(p.feesPaid)),
        kpi('Positions', String(p.positions)),
      );
      this.root.dataset['state'] = 'ready';
    } catch (error) {
      this.root.replaceChildren(h('div', { class: 'panel-error', role: 'alert' }, (error as Error).message));
      this.root.dataset['state'] = 'error';
    }
  }
}
