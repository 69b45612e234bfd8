import type { ApiClient } from '../api/api-client';
import type { ItemList, PositionRow } from '../api/wire-types';
import { debounce } from '../live/debounce';
import type { LiveSocket } from '../live/live-socket';
import { renderTable, type Column } from '../ui/dom';
import { formatMoney, formatNumber, formatTime, signClass } from '../ui/format';
import { PanelFrame } from '../ui/panel';

const COLUMNS: Column<PositionRow>[] = [
  { title: 'Symbol', cell: (p) => p.symbol },
  // Signed and coloured: a short position is a negative quantity in the sell colour, as trading screens show it.
  { title: 'Qty', cell: (p) => formatNumber(p.quantity), className: (p) => signClass(p.quantity) },
  { title: 'Avg price', cell: (p) => formatNumber(p.averagePrice, 2) },
  { title: 'Mark', cell: (p) => formatNumber(p.markPrice, 2) },
  { title: 'Unrealized', cell: (p) => formatMoney(p.unrealizedPnl), className: (p) => signClass(p.unrealizedPnl) },
  { title: 'Realized', cell: (p) => formatMoney(p.realizedPnl), className: (p) => signClass(p.realizedPnl) },
];

/** Open positions (`GET /api/v1/positions`), refetched when a fill or position event arrives. */
export class PositionsPanel {
  private readonly frame: PanelFrame;

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    live: LiveSocket,
  ) {
    this.frame = new PanelFrame(mount, 'Positions');
    const refresh = debounce(() => void this.load(), 300);
    live.on('portfolio', refresh);
    live.on('fills', refresh);
    live.onResync(refresh);
  }

  async load(): Promise<void> {
    try {
      const { items } = await this.api.get<ItemList<PositionRow>>('/api/v1/positions');
      this.frame.body.replaceChildren(
        renderTable(items, COLUMNS, { empty: 'No open positions.', rowKey: (p) => p.symbol }),
      );
      this.frame.root.dataset['rows'] = String(items.length);
      // The last change goes in the note rather than a column: six columns are what fit a third of the page.
      const updates = items.flatMap((p) => (p.updatedAt === undefined ? [] : [p.updatedAt]));
      this.frame.setNote(
        updates.length === 0
          ? `${items.length} open`
          : `${items.length} open · updated ${formatTime(Math.max(...updates))}`,
      );
      this.frame.ok();
    } catch (error) {
      this.frame.fail(error);
    }
  }
}
