import { query, type ApiClient } from '../api/api-client';
import type { ItemList, Order } from '../api/wire-types';
import type { LiveSocket } from '../live/live-socket';
import { renderTable, type Column } from '../ui/dom';
import { formatNumber, formatTime } from '../ui/format';
import { PanelFrame } from '../ui/panel';

const LIMIT = 100;

const COLUMNS: Column<Order>[] = [
  { title: 'Time', cell: (o) => formatTime(o.updatedAt) },
  { title: 'Symbol', cell: (o) => o.symbol, text: true },
  { title: 'Side', cell: (o) => o.side, className: (o) => `text ${o.side}` },
  { title: 'Type', cell: (o) => o.type, text: true },
  { title: 'Qty', cell: (o) => formatNumber(o.quantity) },
  { title: 'Filled', cell: (o) => formatNumber(o.filledQuantity) },
  { title: 'Price', cell: (o) => formatNumber(o.price, 2) },
  { title: 'Avg fill', cell: (o) => formatNumber(o.averageFillPrice, 2) },
  { title: 'Status', cell: (o) => (o.rejectReason ? `${o.status}: ${o.rejectReason}` : o.status), text: true },
  { title: 'Id', cell: (o) => o.id, text: true },
];

/** Recent orders (`GET /api/v1/orders`), newest first, each updated in place from the `orders` channel. */
export class OrdersPanel {
  private readonly frame: PanelFrame;
  private orders = new Map<string, Order>();

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    live: LiveSocket,
  ) {
    this.frame = new PanelFrame(mount, 'Orders');
    live.on('orders', (order) => {
      const known = this.orders.get(order.id);
      if (known && known.updatedAt > order.updatedAt) return;
      this.orders.set(order.id, order);
      this.render();
    });
    live.onResync(() => void this.load());
  }

  async load(): Promise<void> {
    try {
      const { items } = await this.api.get<ItemList<Order>>(`/api/v1/orders${query({ limit: LIMIT })}`);
      const live = this.orders;
      this.orders = new Map(items.map((o) => [o.id, o]));
      for (const [id, order] of live) {
        const stored = this.orders.get(id);
        if (!stored || stored.updatedAt < order.updatedAt) this.orders.set(id, order);
      }
      this.render();
      this.frame.ok();
    } catch (error) {
      this.frame.fail(error);
    }
  }

  private render(): void {
    const rows = [...this.orders.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, LIMIT);
    this.frame.body.replaceChildren(renderTable(rows, COLUMNS, { empty: 'No orders yet.', rowKey: (o) => o.id }));
    this.frame.root.dataset['rows'] = String(rows.length);
    this.frame.setNote(`${rows.length} newest`);
  }
}
