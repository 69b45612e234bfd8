import { isRrrError, timeAsync, type MetricsRegistry } from '@rrr/core';
import type { Counter, Gauge, Histogram } from 'prom-client';

/**
 * The API latency histogram exactly as the platform's HTTP server registers it: the registry is get-or-create and
 * refuses a second registration with other labels or buckets, so both sides must agree on this shape.
 */
export const API_REQUEST_DURATION_METRIC = {
  name: 'rrr_api_request_duration_seconds',
  help: 'API request latency by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
};

/** Order-to-fill latencies span a paper exchange's 10–50 ms to a resting limit order's minutes. */
const FILL_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
// The neural-network service registers the same histogram; a registry refuses two shapes of one metric, so these
// buckets must stay equal to its own (per-bar inference runs from ~10 µs for a logistic model to ~1 ms for an MLP).
const INFERENCE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const DB_QUERY_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** Every metric name this library registers, for docs and for dashboards that want to list them. */
export const MONITORING_METRIC_NAMES = [
  'rrr_orders_total',
  'rrr_order_rejections_total',
  'rrr_fill_latency_seconds',
  'rrr_open_positions',
  'rrr_realized_pnl',
  'rrr_unrealized_pnl',
  'rrr_portfolio_value',
  'rrr_drawdown_ratio',
  'rrr_model_inference_seconds',
  'rrr_ingestion_records_total',
  'rrr_ingestion_errors_total',
  API_REQUEST_DURATION_METRIC.name,
  'rrr_db_query_duration_seconds',
  'rrr_errors_total',
  'rrr_risk_alerts_total',
  'rrr_service_status_changes_total',
  'rrr_service_health',
  'rrr_alert_notifications_total',
  'rrr_alerts_suppressed_total',
  'rrr_alerts_active',
  'rrr_alert_notifier_failures_total',
  'rrr_audit_records_total',
] as const;

/** What `recordPortfolio` takes; drawdown is derived from the value's running peak when not given. */
export interface PortfolioMetricsSnapshot {
  value: number;
  realizedPnl?: number;
  unrealizedPnl?: number;
  /** Fraction below the peak, 0..1. */
  drawdown?: number;
}

export interface MonitoringMetrics {
  readonly registry: MetricsRegistry;
  readonly orders: Counter<'side' | 'type' | 'status'>;
  readonly orderRejections: Counter<'reason'>;
  readonly fillLatency: Histogram<'type'>;
  readonly openPositions: Gauge;
  readonly realizedPnl: Gauge;
  readonly unrealizedPnl: Gauge;
  readonly portfolioValue: Gauge;
  readonly drawdown: Gauge;
  readonly modelInference: Histogram<'model'>;
  readonly ingestionRecords: Counter<'source'>;
  readonly ingestionErrors: Counter<'source'>;
  readonly apiRequestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly dbQueryDuration: Histogram<'operation'>;
  readonly errors: Counter<'service' | 'code'>;
  readonly riskAlerts: Counter<'rule' | 'severity'>;
  readonly serviceStatusChanges: Counter<'service' | 'status'>;
  /** 1 up, 0.5 degraded, 0 down; a service that leaves the registry loses its series. */
  readonly serviceHealth: Gauge<'service'>;
  readonly alertNotifications: Counter<'rule' | 'severity' | 'kind'>;
  readonly alertsSuppressed: Counter<'rule'>;
  readonly alertsActive: Gauge<'rule' | 'severity'>;
  readonly notifierFailures: Counter<'notifier'>;
  readonly auditRecords: Counter<'action'>;

  /** Sets portfolio value, drawdown (given, or from the peak value seen so far) and PnL when given. */
  recordPortfolio(snapshot: PortfolioMetricsSnapshot): void;
  recordIngestion(source: string, records?: number): void;
  recordIngestionError(source: string, errors?: number): void;
  observeInference(model: string, seconds: number): void;
  observeApiRequest(method: string, route: string, status: number | string, seconds: number): void;
  observeDbQuery(operation: string, seconds: number): void;
  /** Times `fn` into the DB query histogram, failures included. */
  timeDbQuery<T>(operation: string, fn: () => Promise<T> | T): Promise<T>;
  /** Counts an error under its RrrError code (INTERNAL for anything else). */
  recordError(error: unknown, service?: string): void;
}

function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/**
 * Registers the legacy `rrr_*` set on `registry` (get-or-create: calling it twice on one registry returns metrics
 * bound to the same series) and returns them with small recording helpers for the services that report directly.
 */
export function createMonitoringMetrics(registry: MetricsRegistry): MonitoringMetrics {
  const drawdown = registry.gauge({ name: 'rrr_drawdown_ratio', help: 'Portfolio drawdown from its peak, 0..1' });
  const portfolioValue = registry.gauge({ name: 'rrr_portfolio_value', help: 'Portfolio value (equity)' });
  const realizedPnl = registry.gauge({ name: 'rrr_realized_pnl', help: 'Realized profit and loss' });
  const unrealizedPnl = registry.gauge({ name: 'rrr_unrealized_pnl', help: 'Unrealized profit and loss at mark' });
  const modelInference = registry.histogram({
    name: 'rrr_model_inference_seconds',
    help: 'Model inference time by model',
    labelNames: ['model'],
    buckets: INFERENCE_BUCKETS,
  });
  const ingestionRecords = registry.counter({
    name: 'rrr_ingestion_records_total',
    help: 'Market-data records ingested by source',
    labelNames: ['source'],
  });
  const ingestionErrors = registry.counter({
    name: 'rrr_ingestion_errors_total',
    help: 'Market-data ingestion errors by source',
    labelNames: ['source'],
  });
  const apiRequestDuration = registry.histogram({
    ...API_REQUEST_DURATION_METRIC,
    labelNames: [...API_REQUEST_DURATION_METRIC.labelNames],
  });
  const dbQueryDuration = registry.histogram({
    name: 'rrr_db_query_duration_seconds',
    help: 'Database query time by operation',
    labelNames: ['operation'],
    buckets: DB_QUERY_BUCKETS,
  });
  const errors = registry.counter({
    name: 'rrr_errors_total',
    help: 'Errors by service and error code',
    labelNames: ['service', 'code'],
  });
  let peakValue: number | undefined;

  return {
    registry,
    orders: registry.counter({
      name: 'rrr_orders_total',
      help: 'Order events by side, type and status reached (submitted, accepted, rejected, filled, cancelled, expired)',
      labelNames: ['side', 'type', 'status'],
    }),
    orderRejections: registry.counter({
      name: 'rrr_order_rejections_total',
      help: 'Rejected orders by reason code',
      labelNames: ['reason'],
    }),
    fillLatency: registry.histogram({
      name: 'rrr_fill_latency_seconds',
      help: 'Time from order submission to each fill, by order type',
      labelNames: ['type'],
      buckets: FILL_LATENCY_BUCKETS,
    }),
    openPositions: registry.gauge({ name: 'rrr_open_positions', help: 'Symbols with a non-zero position' }),
    realizedPnl,
    unrealizedPnl,
    portfolioValue,
    drawdown,
    modelInference,
    ingestionRecords,
    ingestionErrors,
    apiRequestDuration,
    dbQueryDuration,
    errors,
    riskAlerts: registry.counter({
      name: 'rrr_risk_alerts_total',
      help: 'risk.alert events by rule and severity',
      labelNames: ['rule', 'severity'],
    }),
    serviceStatusChanges: registry.counter({
      name: 'rrr_service_status_changes_total',
      help: 'service.status events by service and status',
      labelNames: ['service', 'status'],
    }),
    serviceHealth: registry.gauge({
      name: 'rrr_service_health',
      help: 'Service health: 1 up, 0.5 degraded, 0 down',
      labelNames: ['service'],
    }),
    alertNotifications: registry.counter({
      name: 'rrr_alert_notifications_total',
      help: 'Alert notifications sent by rule, severity and kind (firing, resolved)',
      labelNames: ['rule', 'severity', 'kind'],
    }),
    alertsSuppressed: registry.counter({
      name: 'rrr_alerts_suppressed_total',
      help: 'Alert occurrences held back by the cooldown, by rule',
      labelNames: ['rule'],
    }),
    alertsActive: registry.gauge({
      name: 'rrr_alerts_active',
      help: 'Alert keys currently firing, by rule and severity',
      labelNames: ['rule', 'severity'],
    }),
    notifierFailures: registry.counter({
      name: 'rrr_alert_notifier_failures_total',
      help: 'Alert deliveries a notifier failed (after its retries), by notifier',
      labelNames: ['notifier'],
    }),
    auditRecords: registry.counter({
      name: 'rrr_audit_records_total',
      help: 'Audit trail records appended, by action',
      labelNames: ['action'],
    }),

    recordPortfolio(snapshot) {
      assertFinite('portfolio value', snapshot.value);
      portfolioValue.set(snapshot.value);
      peakValue = peakValue === undefined ? snapshot.value : Math.max(peakValue, snapshot.value);
      if (snapshot.drawdown !== undefined) {
        assertFinite('drawdown', snapshot.drawdown);
        drawdown.set(snapshot.drawdown);
      } else {
        drawdown.set(peakValue > 0 ? Math.max(0, 1 - snapshot.value / peakValue) : 0);
      }
      if (snapshot.realizedPnl !== undefined) realizedPnl.set(snapshot.realizedPnl);
      if (snapshot.unrealizedPnl !== undefined) unrealizedPnl.set(snapshot.unrealizedPnl);
    },
    recordIngestion: (source, records = 1) => ingestionRecords.inc({ source }, records),
    recordIngestionError: (source, count = 1) => ingestionErrors.inc({ source }, count),
    observeInference: (model, seconds) => modelInference.observe({ model }, seconds),
    observeApiRequest: (method, route, status, seconds) =>
      apiRequestDuration.observe({ method, route, status: String(status) }, seconds),
    observeDbQuery: (operation, seconds) => dbQueryDuration.observe({ operation }, seconds),
    timeDbQuery: (operation, fn) => timeAsync(dbQueryDuration, { operation }, fn),
    recordError: (error, service = 'unknown') =>
      errors.inc({ service, code: isRrrError(error) ? error.code : 'INTERNAL' }),
  };
}
