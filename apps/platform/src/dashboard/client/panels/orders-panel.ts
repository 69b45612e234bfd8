import { query, type ApiClient } from '../api/api-client';
import type { SessionApiKey } from '../api/session-api-key';
import type { ItemList, Order, OrderStatus } from '../api/wire-types';
import type { LiveSocket } from '../live/live-socket';
import { keyScopeProblem, setAvailability } from '../ui/button-availability';
import { h, renderTable, type Column } from '../ui/dom';
import { formatNumber, formatTime } from '../ui/format';
import { PanelFrame } from '../ui/panel';

const LIMIT = 100;
/** The states in which the venue may still fill an order, so a cancel means something (the API's `status=open`). */
const WORKING: ReadonlySet<OrderStatus> = new Set(['pending-new', 'accepted', 'partially-filled']);

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

/**
 * Recent orders (`GET /api/v1/orders`), newest first, each updated in place from the `orders` channel. A working
 * order's row has a Cancel button (`DELETE /api/v1/orders/:id` with the entered API key, enabled for a trade or admin
 * key); a refused cancel shows the server's answer in the panel.
 */
export class OrdersPanel {
  private readonly frame: PanelFrame;
  private readonly columns: Column<Order>[];
  private orders = new Map<string, Order>();
  /** Orders whose cancel is on its way: their button waits for the answer. */
  private readonly cancelling = new Set<string>();

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    private readonly apiKey: SessionApiKey,
    live: LiveSocket,
  ) {
    this.frame = new PanelFrame(mount, 'Orders');
    this.columns = [...COLUMNS, { title: '', cell: (o) => this.cancelCell(o), text: true }];
    live.on('orders', (order) => {
      if (this.upsert(order)) this.render();
    });
    live.onResync(() => void this.load());
    apiKey.onChange(() => this.render());
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

  /** Keeps the newer of `order` and the one known; false when the known one is newer. */
  private upsert(order: Order): boolean {
    const known = this.orders.get(order.id);
    if (known && known.updatedAt > order.updatedAt) return false;
    this.orders.set(order.id, order);
    return true;
  }

  private cancelCell(order: Order): string | Node {
    if (!WORKING.has(order.status)) return '';
    const cancelling = this.cancelling.has(order.id);
    const button = h(
      'button',
      { type: 'button', class: 'row-action', name: 'cancel' },
      cancelling ? 'Cancelling…' : 'Cancel',
    );
    setAvailability(
      button,
      [keyScopeProblem(this.apiKey.scope, 'trade', 'cancelling an order'), cancelling && 'the cancel is on its way'],
      `cancel order ${order.id} (trade)`,
    );
    button.addEventListener('click', () => void this.cancel(order.id));
    return button;
  }

  private async cancel(id: string): Promise<void> {
    if (this.cancelling.has(id)) return;
    this.cancelling.add(id);
    this.render();
    try {
      // The live `orders` event brings the same change; the answer shows it even if the socket is down.
      this.upsert(await this.api.send<Order>('DELETE', `/api/v1/orders/${encodeURIComponent(id)}`));
      this.frame.ok();
    } catch (error) {
      this.frame.fail(error);
    } finally {
      this.cancelling.delete(id);
      this.render();
    }
  }

  private render(): void {
    const rows = [...this.orders.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, LIMIT);
    this.frame.body.replaceChildren(renderTable(rows, this.columns, { empty: 'No orders yet.', rowKey: (o) => o.id }));
    this.frame.root.dataset['rows'] = String(rows.length);
    this.frame.setNote(`${rows.length} newest`);
  }
}
