// Metrics
export {
  createMonitoringMetrics,
  API_REQUEST_DURATION_METRIC,
  MONITORING_METRIC_NAMES,
  type MonitoringMetrics,
  type PortfolioMetricsSnapshot,
} from './metrics/monitoring-metrics';
export { MetricsBridge, METRICS_BRIDGE_PATTERNS, type MetricsBridgeOptions } from './metrics/metrics-bridge';
export { rejectReasonCode } from './metrics/reject-reason-code';

// Health
export { HealthMonitor, type HealthMonitorOptions, type HealthTransitionListener } from './health/health-monitor';
export {
  healthScore,
  type HealthSnapshot,
  type HealthSource,
  type HealthSourceReport,
  type HealthTransition,
  type ObservedHealth,
  type ServiceHealthSample,
} from './health/health-snapshot';
export { diffHealth } from './health/diff-health';

// Alerts
export {
  AlertManager,
  DEFAULT_ALERT_COOLDOWN_MS,
  type AlertManagerOptions,
  type IngestedAlert,
} from './alerts/alert-manager';
export {
  validateAlertRule,
  crossedThreshold,
  type AlertRule,
  type AlertSource,
  type AlertComparison,
  type MetricSelector,
} from './alerts/alert-rule';
export { ALERT_SEVERITIES, alertSeverityRank, isAlertSeverity, type AlertSeverity } from './alerts/alert-severity';
export type { AlertNotification, AlertNotificationReason, ActiveAlert } from './alerts/alert-notification';
export { routeAccepts, type AlertRoute } from './alerts/alert-route';
export { defaultAlertRules, type DefaultAlertRuleOptions } from './alerts/default-alert-rules';
export { histogramQuantile } from './alerts/histogram-quantile';

// Notifiers
export type { AlertNotifier } from './notifiers/alert-notifier';
export { LogNotifier } from './notifiers/log-notifier';
export { WebhookNotifier, WebhookResponseError, type WebhookNotifierOptions } from './notifiers/webhook-notifier';
export { SmtpNotifier, formatAlertMail, type SmtpNotifierOptions } from './notifiers/smtp-notifier';
export { sendSmtpMail, formatSmtpMessage, type SmtpClientOptions, type SmtpMail } from './notifiers/smtp-client';

// Audit trail
export {
  AuditTrail,
  type AuditEntryInput,
  type AuditRecord,
  type AuditListOptions,
  type AuditVerifyOptions,
  type AuditVerification,
  type AuditTrailOptions,
} from './audit/audit-trail';
export {
  AuditChainVerifier,
  type AuditAnchor,
  type AuditBreak,
  type AuditBreakReason,
  type AuditRow,
} from './audit/audit-chain-verifier';
export { computeAuditHash, type AuditHashInput } from './audit/audit-hash';
export { canonicalJson, type JsonValue } from './audit/canonical-json';
export { formatAuditVerification, formatAuditAnchor, parseAuditAnchor } from './audit/format-audit-verification';

// Service
export {
  createMonitoringService,
  type MonitoringService,
  type MonitoringServiceDeps,
} from './service/create-monitoring-service';
export {
  resolveMonitoringConfig,
  type MonitoringConfig,
  type MonitoringConfigInput,
  type MonitoringWebhookConfig,
  type MonitoringSmtpConfig,
} from './service/monitoring-config';

// Timers (injectable for deterministic tests)
export { systemTimers, type MonitorTimers } from './timers/monitor-timers';
export { PeriodicTask } from './timers/periodic-task';
export { ManualTimers } from './testing/manual-timers';
