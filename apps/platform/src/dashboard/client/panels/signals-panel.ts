import { query, type ApiClient } from '../api/api-client';
import type { ItemList, SignalRow } from '../api/wire-types';
import type { LiveSocket } from '../live/live-socket';
import { RecentSignals, type SignalView } from '../live/recent-signals';
import { renderTable, type Column } from '../ui/dom';
import { formatNumber, formatTime } from '../ui/format';
import { PanelFrame } from '../ui/panel';

const LIMIT = 50;

const COLUMNS: Column<SignalView>[] = [
  { title: 'Time', cell: (s) => formatTime(s.ts) },
  { title: 'Symbol', cell: (s) => s.symbol, text: true },
  { title: 'Source', cell: (s) => s.source, text: true },
  { title: 'Direction', cell: (s) => s.direction, className: (s) => `text ${s.direction}` },
  { title: 'Strength', cell: (s) => formatNumber(s.strength, 2) },
  { title: 'Price', cell: (s) => formatNumber(s.price, 2) },
  { title: 'Reason', cell: (s) => s.reason ?? '', className: () => 'text reason' },
];

/**
 * The strategies' and models' newest signals of every symbol (`GET /api/v1/signals`, then the `signals` channel),
 * newest first: what the orders that follow them were placed for. `data-live-signals` counts those that arrived live.
 */
export class SignalsPanel {
  private readonly frame: PanelFrame;
  private readonly signals = new RecentSignals(LIMIT);
  private liveSignals = 0;

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    live: LiveSocket,
  ) {
    this.frame = new PanelFrame(mount, 'Signals');
    live.on('signals', (signal) => {
      this.liveSignals++;
      this.frame.root.dataset['liveSignals'] = String(this.liveSignals);
      if (this.signals.add([signal])) this.render();
    });
    live.onResync(() => void this.load());
  }

  async load(): Promise<void> {
    try {
      const { items } = await this.api.get<ItemList<SignalRow>>(`/api/v1/signals${query({ limit: LIMIT })}`);
      this.signals.add(items);
      this.render();
      this.frame.ok();
    } catch (error) {
      this.frame.fail(error);
    }
  }

  private render(): void {
    const rows = this.signals.list();
    this.frame.body.replaceChildren(
      renderTable(rows, COLUMNS, {
        empty: 'No signals yet.',
        rowKey: (s) => s.key,
      }),
    );
    this.frame.root.dataset['rows'] = String(rows.length);
    this.frame.setNote(rows.length === 0 ? `${LIMIT} newest` : `${LIMIT} newest · last ${formatTime(rows[0].ts)}`);
  }
}
