import { query, type ApiClient } from '../api/api-client';
import type { CircuitBreakerView, ItemList, RiskAlert } from '../api/wire-types';
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

/** Risk alerts (`GET /api/v1/risk/alerts`, newest first, new ones from `alerts`) and the circuit breaker's state. */
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
    const [alerts, breaker] = await Promise.allSettled([
      this.api.get<ItemList<RiskAlert>>(`/api/v1/risk/alerts${query({ limit: LIMIT })}`),
      this.api.get<CircuitBreakerView>('/api/v1/risk/circuit-breaker'),
    ]);
    if (alerts.status === 'fulfilled') {
      for (const alert of alerts.value.items) this.alerts.set(alert.id, alert);
      this.render();
    }
    const note =
      breaker.status === 'fulfilled'
        ? `circuit breaker ${breaker.value.state}${breaker.value.reason ? `: ${breaker.value.reason}` : ''}`
        : 'circuit breaker unknown';
    this.frame.setNote(note);
    const failures = [alerts, breaker]
      .filter((r) => r.status === 'rejected')
      .map((r) => String(r.reason?.message ?? r.reason));
    if (failures.length > 0) this.frame.fail(failures.join('\n'));
    else this.frame.ok();
  }

  private render(): void {
    const rows = [...this.alerts.values()].sort((a, b) => b.ts - a.ts).slice(0, LIMIT);
    this.frame.body.replaceChildren(renderTable(rows, COLUMNS, { empty: 'No risk alerts.', rowKey: (a) => a.id }));
    this.frame.root.dataset['rows'] = String(rows.length);
  }
}
