import type { ApiClient } from '../api/api-client';
import type { RegistryHealth } from '../api/wire-types';
import { debounce } from '../live/debounce';
import type { LiveSocket } from '../live/live-socket';
import { renderTable, type Column } from '../ui/dom';
import { formatTime } from '../ui/format';
import { PanelFrame } from '../ui/panel';

type ServiceRow = RegistryHealth['services'][string] & { name: string };

const COLUMNS: Column<ServiceRow>[] = [
  { title: 'Service', cell: (s) => s.name },
  { title: 'Status', cell: (s) => s.status, className: (s) => `text status-${s.status}` },
  { title: 'State', cell: (s) => s.state, text: true },
  { title: 'Check', cell: (s) => `${s.latencyMs.toFixed(1)} ms` },
  { title: 'Error', cell: (s) => s.error ?? '', text: true },
];

const REFRESH_MS = 10_000;

/** Every registered service's health (`GET /health`, whose 503 still carries the report), refreshed on `health`. */
export class HealthPanel {
  private readonly frame: PanelFrame;

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    live: LiveSocket,
  ) {
    this.frame = new PanelFrame(mount, 'Service health');
    const refresh = debounce(() => void this.load(), 300);
    live.on('health', refresh);
    live.onResync(refresh);
    window.setInterval(() => void this.load(), REFRESH_MS);
  }

  async load(): Promise<RegistryHealth | undefined> {
    try {
      const health = await this.api.get<RegistryHealth>('/health', [503]);
      const rows = Object.entries(health.services).map(([name, service]) => ({ name, ...service }));
      this.frame.body.replaceChildren(renderTable(rows, COLUMNS, { empty: 'No services.', rowKey: (s) => s.name }));
      this.frame.root.dataset['rows'] = String(rows.length);
      this.frame.root.dataset['overall'] = health.status;
      this.frame.setNote(`${health.status} · ${formatTime(health.ts)}`);
      this.frame.ok();
      return health;
    } catch (error) {
      this.frame.fail(error);
      return undefined;
    }
  }
}
