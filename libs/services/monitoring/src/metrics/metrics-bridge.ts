import type {
  Bar,
  BusSubscription,
  EventBus,
  Fill,
  Order,
  OrderType,
  PlatformTopic,
  PlatformTopics,
  Position,
  RiskAlert,
  ServiceStatusEvent,
} from '@rrr/core';
import type { MonitoringMetrics } from './monitoring-metrics';
import { rejectReasonCode } from './reject-reason-code';

export interface MetricsBridgeOptions {
  metrics: MonitoringMetrics;
  /** Orders remembered for fill latency; the oldest is forgotten beyond this. Default 10,000. */
  maxTrackedOrders?: number;
  /** Maps a rejection reason to the `reason` label; default `rejectReasonCode`. */
  reasonCode?: (reason: string | undefined) => string;
}

/** The topics the bridge listens to, as subscription patterns. */
export const METRICS_BRIDGE_PATTERNS = ['order.*', 'fill', 'position', 'bar', 'risk.alert', 'service.status'] as const;

interface TrackedOrder {
  submittedAt: number;
  type: OrderType;
  quantity: number;
  filled: number;
}

const QUANTITY_TOLERANCE = 1e-9;

/**
 * Keeps the `rrr_*` trading metrics up to date from bus events, so the OMS, risk and the registry publish events and
 * never touch metrics:
 * - `order.<event>` → rrr_orders_total{side,type,status=<event>}; `order.rejected` also rrr_order_rejections_total.
 * - `fill` → rrr_fill_latency_seconds: fill.ts − the order's createdAt (from its submitted/accepted event).
 * - `position` → rrr_open_positions, rrr_realized_pnl (sum over symbols of the latest realizedPnl) and, with the
 *   last `bar` close as mark, rrr_unrealized_pnl = Σ quantity × (mark − averagePrice).
 * - `risk.alert` → rrr_risk_alerts_total; `service.status` → rrr_service_status_changes_total.
 */
export class MetricsBridge {
  private readonly metrics: MonitoringMetrics;
  private readonly maxTrackedOrders: number;
  private readonly reasonCode: (reason: string | undefined) => string;
  private readonly orders = new Map<string, TrackedOrder>();
  private readonly positions = new Map<string, Position>();
  private readonly marks = new Map<string, number>();
  private subscriptions: BusSubscription[] = [];

  constructor(options: MetricsBridgeOptions) {
    const maxTrackedOrders = options.maxTrackedOrders ?? 10_000;
    if (!Number.isInteger(maxTrackedOrders) || maxTrackedOrders < 1) {
      throw new RangeError(`maxTrackedOrders must be an integer ≥ 1, got ${maxTrackedOrders}`);
    }
    this.metrics = options.metrics;
    this.maxTrackedOrders = maxTrackedOrders;
    this.reasonCode = options.reasonCode ?? rejectReasonCode;
  }

  /** Subscribes to METRICS_BRIDGE_PATTERNS; resolves once every subscription is live. */
  async attach(bus: EventBus<PlatformTopics>): Promise<void> {
    if (this.subscriptions.length > 0) return;
    this.subscriptions = await Promise.all([
      bus.subscribe('order.*', (order, meta) => this.handle(meta.topic, order)),
      bus.subscribe('fill', (fill) => this.handle('fill', fill)),
      bus.subscribe('position', (position) => this.handle('position', position)),
      bus.subscribe('bar', (bar) => this.handle('bar', bar)),
      bus.subscribe('risk.alert', (alert) => this.handle('risk.alert', alert)),
      bus.subscribe('service.status', (event) => this.handle('service.status', event)),
    ]);
  }

  async detach(): Promise<void> {
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
  }

  /** Applies one event; exposed so a caller with its own subscriptions (or a replay) can feed the bridge. */
  handle<K extends PlatformTopic>(topic: K, payload: PlatformTopics[K]): void {
    if (topic.startsWith('order.')) this.onOrder(topic.slice('order.'.length), payload as Order);
    else if (topic === 'fill') this.onFill(payload as Fill);
    else if (topic === 'position') this.onPosition(payload as Position);
    else if (topic === 'bar') this.onBar(payload as Bar);
    else if (topic === 'risk.alert') {
      const alert = payload as RiskAlert;
      this.metrics.riskAlerts.inc({ rule: alert.rule, severity: alert.severity });
    } else if (topic === 'service.status') {
      const event = payload as ServiceStatusEvent;
      this.metrics.serviceStatusChanges.inc({ service: event.service, status: event.status });
    }
  }

  /** Orders currently remembered for fill latency. */
  get trackedOrders(): number {
    return this.orders.size;
  }

  private onOrder(event: string, order: Order): void {
    this.metrics.orders.inc({ side: order.side, type: order.type, status: event });
    if (event === 'submitted' || (event === 'accepted' && !this.orders.has(order.id))) {
      this.track(order);
    } else if (event === 'rejected' || event === 'cancelled' || event === 'expired') {
      this.orders.delete(order.id);
    }
    if (event === 'rejected') this.metrics.orderRejections.inc({ reason: this.reasonCode(order.rejectReason) });
  }

  private track(order: Order): void {
    this.orders.delete(order.id);
    this.orders.set(order.id, {
      submittedAt: order.createdAt,
      type: order.type,
      quantity: order.quantity,
      filled: order.filledQuantity,
    });
    // Maps iterate in insertion order: the first key is the oldest order.
    while (this.orders.size > this.maxTrackedOrders) this.orders.delete(this.orders.keys().next().value as string);
  }

  private onFill(fill: Fill): void {
    const order = this.orders.get(fill.orderId);
    if (order === undefined) return;
    this.metrics.fillLatency.observe({ type: order.type }, Math.max(0, fill.ts - order.submittedAt) / 1000);
    order.filled += fill.quantity;
    // A fully filled order gets no further fills; later events for it (order.filled) need nothing from here.
    if (order.filled >= order.quantity * (1 - QUANTITY_TOLERANCE)) this.orders.delete(fill.orderId);
  }

  private onPosition(position: Position): void {
    this.positions.set(position.symbol, position);
    let open = 0;
    let realized = 0;
    for (const p of this.positions.values()) {
      if (p.quantity !== 0) open++;
      realized += p.realizedPnl;
    }
    this.metrics.openPositions.set(open);
    this.metrics.realizedPnl.set(realized);
    this.updateUnrealized();
  }

  private onBar(bar: Bar): void {
    this.marks.set(bar.symbol, bar.close);
    const position = this.positions.get(bar.symbol);
    if (position !== undefined && position.quantity !== 0) this.updateUnrealized();
  }

  private updateUnrealized(): void {
    let unrealized = 0;
    for (const p of this.positions.values()) {
      const mark = this.marks.get(p.symbol);
      if (p.quantity !== 0 && mark !== undefined) unrealized += p.quantity * (mark - p.averagePrice);
    }
    this.metrics.unrealizedPnl.set(unrealized);
  }
}
