import { query, type ApiClient } from '../api/api-client';
import type { EquityPoint, ItemList } from '../api/wire-types';
import { EquityDrawdownChart } from '../charts/equity-drawdown-chart';
import { debounce } from '../live/debounce';
import type { LiveSocket } from '../live/live-socket';
import { h } from '../ui/dom';
import { formatMoney, formatPercent } from '../ui/format';
import { PanelFrame } from '../ui/panel';

const POINTS = 2_000;
const REFRESH_MS = 15_000;

/** The paper portfolio's equity and drawdown (`GET /api/v1/portfolio/equity`), refreshed as positions change. */
export class EquityPanel {
  private readonly frame: PanelFrame;
  private readonly chart: EquityDrawdownChart;

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    live: LiveSocket,
  ) {
    this.frame = new PanelFrame(mount, 'Equity & drawdown');
    const container = h('div', { class: 'chart', 'aria-label': 'Equity and drawdown chart' });
    this.frame.body.append(container);
    this.chart = new EquityDrawdownChart(container);
    const refresh = debounce(() => void this.load(), 1_000);
    live.on('portfolio', refresh);
    live.onResync(refresh);
    window.setInterval(() => void this.load(), REFRESH_MS);
  }

  async load(): Promise<void> {
    try {
      const from = Date.now() - 7 * 86_400_000;
      const { items } = await this.api.get<ItemList<EquityPoint>>(
        `/api/v1/portfolio/equity${query({ from, limit: POINTS })}`,
      );
      const points = this.chart.setPoints(items);
      this.frame.root.dataset['points'] = String(points);
      const last = items.at(-1);
      const worst = Math.min(0, ...items.map((p) => p.drawdown));
      this.frame.setNote(
        last ? `${formatMoney(last.equity)} · max drawdown ${formatPercent(worst)}` : 'no equity snapshots yet',
      );
      this.frame.ok();
    } catch (error) {
      this.frame.fail(error);
    }
  }
}
