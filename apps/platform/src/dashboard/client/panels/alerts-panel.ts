import { query, type ApiClient } from '../api/api-client';
import type { ItemList, RiskAlert } from '../api/wire-types';
import type { LiveSocket } from '../live/live-socket';
import { renderTable, type Column } from '../ui/dom';
import { formatNumber, formatTime } from '../ui/format';
import { PanelFrame } from '../ui/panel';

const LIMIT = 50;

const COLUMNS: Column<RiskAlert>[] = [
  { title: 'Time', cell: (a) => formatTime(a.ts) },
  { title: 'Severity', cell: (a) => a.severity, className: (a) => `text severity-${a.severity}` },
  { title: 'Rule', cell: (a) => a.rule, text: true },
  { title: 'Symbol', cell: (a) => a.symbol ?? '', text: true },
  { title: 'Value', cell: (a) => formatNumber(a.value, 4) },
  { title: 'Limit', cell: (a) => formatNumber(a.limit, 4) },
  { title: 'Message', cell: (a) => a.message, text: true },
];

/**
 * Risk alerts (`GET /api/v1/risk/alerts`, newest first, new ones from `alerts`). The circuit breaker's state is the
 * risk controls panel's, which reloads it on every alert; a copy here went stale after the first transition.
 */
export class AlertsPanel {
  private readonly frame: PanelFrame;
  private alerts = new Map<string, RiskAlert>();

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    live: LiveSocket,
  ) {
    this.frame = new PanelFrame(mount, 'Risk alerts');
    live.on('alerts', (alert) => {
      this.alerts.set(alert.id, alert);
      this.render();
    });
    live.onResync(() => void this.load());
  }

  async load(): Promise<void> {
    try {
      const alerts = await this.api.get<ItemList<RiskAlert>>(`/api/v1/risk/alerts${query({ limit: LIMIT })}`);
      for (const alert of alerts.items) this.alerts.set(alert.id, alert);
      this.render();
      this.frame.ok();
    } catch (error) {
      this.frame.fail(error);
    }
  }

  private render(): void {
    const rows = [...this.alerts.values()].sort((a, b) => b.ts - a.ts).slice(0, LIMIT);
    this.frame.body.replaceChildren(renderTable(rows, COLUMNS, { empty: 'No risk alerts.', rowKey: (a) => a.id }));
    this.frame.root.dataset['rows'] = String(rows.length);
    this.frame.setNote(rows.length === 0 ? `${LIMIT} newest` : `${LIMIT} newest · last ${formatTime(rows[0].ts)}`);
  }
}
