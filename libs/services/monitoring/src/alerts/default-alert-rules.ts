import type { AlertRule } from './alert-rule';

export interface DefaultAlertRuleOptions {
  /** Drawdown fractions; legacy 0.10 warning and 0.15 critical (the max-drawdown limit). */
  drawdownWarning?: number;
  drawdownCritical?: number;
  /** API p99 latency in seconds over the last 5 minutes. Defaults 0.5 / 1. */
  apiLatencyP99Warning?: number;
  apiLatencyP99Critical?: number;
  /** Ingestion errors per source within 5 minutes. Defaults 10 / 50. */
  ingestionErrorsWarning?: number;
  ingestionErrorsCritical?: number;
}

const FIVE_MINUTES = 5 * 60 * 1000;

/**
 * The legacy alert set over the rrr_* metrics:
 * - `drawdown`: rrr_drawdown_ratio > 10 % warning, > 15 % critical.
 * - `api-latency-p99`: p99 of rrr_api_request_duration_seconds over 5 min > 0.5 s warning, > 1 s critical.
 * - `ingestion-errors`: rrr_ingestion_errors_total increase over 5 min, per source, > 10 warning, > 50 critical.
 * - `service-down`: rrr_service_health per service < 1 (degraded) warning, < 0.5 (down) critical.
 */
export function defaultAlertRules(options: DefaultAlertRuleOptions = {}): AlertRule[] {
  return [
    {
      name: 'drawdown',
      description: 'portfolio drawdown',
      source: { kind: 'metric', metric: 'rrr_drawdown_ratio' },
      op: '>',
      thresholds: { warning: options.drawdownWarning ?? 0.1, critical: options.drawdownCritical ?? 0.15 },
    },
    {
      name: 'api-latency-p99',
      description: 'API p99 latency (s, 5 min)',
      source: { kind: 'quantile', metric: 'rrr_api_request_duration_seconds', quantile: 0.99, windowMs: FIVE_MINUTES },
      op: '>',
      thresholds: { warning: options.apiLatencyP99Warning ?? 0.5, critical: options.apiLatencyP99Critical ?? 1 },
    },
    {
      name: 'ingestion-errors',
      description: 'ingestion errors in 5 min',
      source: { kind: 'increase', metric: 'rrr_ingestion_errors_total', by: ['source'], windowMs: FIVE_MINUTES },
      op: '>',
      thresholds: { warning: options.ingestionErrorsWarning ?? 10, critical: options.ingestionErrorsCritical ?? 50 },
    },
    {
      name: 'service-down',
      description: 'service health',
      source: { kind: 'metric', metric: 'rrr_service_health', by: ['service'] },
      op: '<',
      thresholds: { warning: 1, critical: 0.5 },
    },
  ];
}
