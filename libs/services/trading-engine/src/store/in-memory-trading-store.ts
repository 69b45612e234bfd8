import { ConflictError, type Fill } from '@rrr/core';
import type { OmsOrder } from '../orders/oms-order';
import type { EquityObservation } from '../portfolio/equity-returns';
import type { PortfolioSnapshot } from '../portfolio/portfolio';
import type { TradingPosition } from '../positions/trading-position';
import type {
  FillQuery,
  OrderQuery,
  OrderRejectionRecord,
  StoredTradingState,
  TradingStore,
  TradingStoreChanges,
} from './trading-store';

const WORKING = new Set(['pending-new', 'accepted', 'partially-filled']);

/**
 * A TradingStore in memory, with the same semantics as the SQL one (atomic change sets, version checks): for
 * backtests, which need the engine's bookkeeping but not its durability, and for tests.
 */
export class InMemoryTradingStore implements TradingStore {
  private readonly orders = new Map<string, OmsOrder>();
  private readonly byClientOrderId = new Map<string, string>();
  private readonly fills: Fill[] = [];
  private readonly positions = new Map<string, { position: TradingPosition; markPrice?: number }>();
  private readonly balances = new Map<string, number>();
  private readonly rejections: OrderRejectionRecord[] = [];
  private readonly snapshots: PortfolioSnapshot[] = [];

  async write(changes: TradingStoreChanges): Promise<void> {
    this.writeNow(changes);
  }

  writeNow(changes: TradingStoreChanges): void {
    // Check everything first, so a conflicting change set leaves the store as it was. Most change sets carry one
    // order: no map of the set's own earlier writes is needed for it.
    const writes = changes.orders ?? [];
    const pending = writes.length > 1 ? new Map<string, OmsOrder>() : undefined;
    for (const { order, expectedVersion } of writes) {
      const current = pending?.get(order.id) ?? this.orders.get(order.id);
      if (expectedVersion === null) {
        if (current !== undefined || this.byClientOrderId.has(order.clientOrderId)) {
          throw new ConflictError(`order ${order.id} (client order id ${order.clientOrderId}) already exists`);
        }
      } else if (current === undefined || current.version !== expectedVersion) {
        throw new ConflictError(
          `order ${order.id} changed underneath this engine: expected version ${expectedVersion}`,
          {
            orderId: order.id,
            expectedVersion,
          },
        );
      }
      pending?.set(order.id, order);
    }
    // The engine never mutates an order, fill, position or snapshot it has written (every change is a new object),
    // so they are kept as given; what the store hands out is copied. A rejected request is the caller's object.
    for (const { order, expectedVersion } of writes) {
      this.orders.set(order.id, order);
      if (expectedVersion === null) this.byClientOrderId.set(order.clientOrderId, order.id);
    }
    for (const fill of changes.fills ?? []) this.fills.push(fill);
    for (const p of changes.positions ?? []) this.positions.set(p.position.symbol, p);
    for (const b of changes.balances ?? []) this.balances.set(b.currency, b.amount);
    for (const r of changes.rejections ?? []) this.rejections.push({ ...r, request: copyOf(r.request) });
    for (const s of changes.snapshots ?? []) this.snapshots.push(s);
  }

  async flush(): Promise<void> {
    // Writes apply synchronously.
  }

  async loadState(): Promise<StoredTradingState> {
    const marks: Record<string, number> = {};
    for (const { position, markPrice } of this.positions.values()) {
      if (markPrice !== undefined) marks[position.symbol] = markPrice;
    }
    const ids = [...this.orders.keys()].sort();
    const fillIds = this.fills.map((f) => f.id).sort();
    return {
      workingOrders: [...this.orders.values()]
        .filter((o) => WORKING.has(o.status))
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        .map((o) => structuredClone(o)),
      positions: [...this.positions.values()].map((p) => ({ ...p.position })),
      marks,
      balances: Object.fromEntries(this.balances),
      ...(ids.length === 0 ? {} : { lastOrderId: ids[ids.length - 1] }),
      ...(fillIds.length === 0 ? {} : { lastFillId: fillIds[fillIds.length - 1] }),
    };
  }

  async getOrder(id: string): Promise<OmsOrder | undefined> {
    const order = this.orders.get(id);
    return order === undefined ? undefined : structuredClone(order);
  }

  findOrderByClientOrderId(clientOrderId: string): OmsOrder | undefined {
    const id = this.byClientOrderId.get(clientOrderId);
    const order = id === undefined ? undefined : this.orders.get(id);
    return order === undefined ? undefined : structuredClone(order);
  }

  async listOrders(query: OrderQuery = {}): Promise<OmsOrder[]> {
    const statuses =
      query.status === undefined
        ? undefined
        : new Set(typeof query.status === 'string' ? [query.status] : query.status);
    return [...this.orders.values()]
      .filter(
        (o) =>
          (query.symbol === undefined || o.symbol === query.symbol) &&
          (statuses === undefined || statuses.has(o.status)) &&
          (query.since === undefined || o.createdAt >= query.since),
      )
      .sort((a, b) => (a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)) * (query.newestFirst === true ? -1 : 1))
      .slice(0, query.limit ?? 1_000)
      .map((o) => structuredClone(o));
  }

  async listFills(query: FillQuery = {}): Promise<Fill[]> {
    return this.fills
      .filter(
        (f) =>
          (query.orderId === undefined || f.orderId === query.orderId) &&
          (query.symbol === undefined || f.symbol === query.symbol),
      )
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * (query.newestFirst === true ? -1 : 1))
      .slice(0, query.limit ?? 10_000)
      .map((f) => ({ ...f }));
  }

  async listRejections(limit = 1_000): Promise<OrderRejectionRecord[]> {
    return this.rejections.slice(0, limit).map((r) => structuredClone(r));
  }

  async loadEquityHistory(since: number): Promise<EquityObservation[]> {
    return this.snapshots.filter((s) => s.ts >= since).map((s) => ({ ts: s.ts, equity: s.equity }));
  }

  /** Every snapshot written (backtests read their equity curve from here). */
  portfolioSnapshots(): PortfolioSnapshot[] {
    return this.snapshots.map((s) => structuredClone(s));
  }
}

function copyOf(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    // Functions and the like cannot be cloned; what matters for the record is that it was not a valid request.
    return String(value);
  }
}
