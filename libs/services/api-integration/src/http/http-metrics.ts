import type { MetricsRegistry } from '@rrr/core';
import type { Counter, Histogram } from 'prom-client';

export interface HttpMetrics {
  /** Every attempt that was sent; `status` is the HTTP status, or `none` when no response came back. */
  requests: Counter<'host' | 'method' | 'status'>;
  /** Time from sending an attempt to having its whole body (or its failure). */
  duration: Histogram<'host' | 'method'>;
  /** Failed attempts and calls by RrrError code (RATE_LIMITED, SERVICE_UNAVAILABLE, TIMEOUT, CIRCUIT_OPEN, DATA_INVALID…). */
  errors: Counter<'host' | 'code'>;
}

/** Vendor REST latencies span a few milliseconds (cached quotes) to tens of seconds (a 50,000-bar page). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The HTTP metrics, get-or-create in `registry`, so several clients sharing one registry share one set of series. */
export function createHttpMetrics(registry: MetricsRegistry): HttpMetrics {
  return {
    requests: registry.counter({
      name: 'rrr_http_requests_total',
      help: 'Outbound HTTP attempts by host, method and response status',
      labelNames: ['host', 'method', 'status'],
    }),
    duration: registry.histogram({
      name: 'rrr_http_request_duration_seconds',
      help: 'Outbound HTTP attempt duration in seconds, body included',
      labelNames: ['host', 'method'],
      buckets: DURATION_BUCKETS,
    }),
    errors: registry.counter({
      name: 'rrr_http_errors_total',
      help: 'Outbound HTTP failures by host and error code',
      labelNames: ['host', 'code'],
    }),
  };
}
