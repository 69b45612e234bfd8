import { ConfigError, type FieldProblem } from '@rrr/core';
import type { AlertRule } from '../alerts/alert-rule';
import { isAlertSeverity, type AlertSeverity } from '../alerts/alert-severity';
import { defaultAlertRules } from '../alerts/default-alert-rules';

export interface MonitoringWebhookConfig {
  url: string;
  minSeverity: AlertSeverity;
  timeoutMs: number;
  retries: number;
  /** E.g. an Authorization header; take secrets from env, never from a committed file. */
  headers?: Record<string, string>;
}

export interface MonitoringSmtpConfig {
  host: string;
  port: number;
  from: string;
  to: string[];
  minSeverity: AlertSeverity;
  timeoutMs: number;
}

export interface MonitoringConfig {
  health: {
    /** Poll period; the first poll comes one period after start, when the services have booted. */
    intervalMs: number;
    timeoutMs: number;
    historySize: number;
  };
  alerts: {
    evaluationIntervalMs: number;
    /** Per alert key; legacy 15 minutes. */
    cooldownMs: number;
    /** For risk.alert events, which risk-management has already de-duplicated. */
    ingestedCooldownMs: number;
    rules: AlertRule[];
    /** Least severity written to the log notifier. */
    logMinSeverity: AlertSeverity;
  };
  webhook?: MonitoringWebhookConfig;
  smtp?: MonitoringSmtpConfig;
  /** What is written to the audit trail besides what callers append themselves. */
  audit: {
    serviceStatus: boolean;
    riskAlerts: boolean;
    healthTransitions: boolean;
    /** Firing and resolved notifications of the alert rules. */
    alertNotifications: boolean;
  };
}

export interface MonitoringConfigInput {
  health?: Partial<MonitoringConfig['health']>;
  alerts?: Partial<MonitoringConfig['alerts']>;
  webhook?: Partial<MonitoringWebhookConfig> & { url: string };
  smtp?: Partial<MonitoringSmtpConfig> & { host: string; from: string; to: string[] };
  audit?: Partial<MonitoringConfig['audit']>;
}

const ADDRESS_PATTERN = /^[^\s<>()@,;:"\\[\]]+@[A-Za-z0-9.-]+$/;

function positiveInt(problems: FieldProblem[], field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) problems.push({ field, message: 'must be an integer > 0', value });
}

function severity(problems: FieldProblem[], field: string, value: unknown): void {
  if (!isAlertSeverity(value)) problems.push({ field, message: 'must be info, warning or critical', value });
}

/** Fills in defaults and checks every field; throws a ConfigError listing each bad key, its value and what fits. */
export function resolveMonitoringConfig(input: MonitoringConfigInput = {}): MonitoringConfig {
  const config: MonitoringConfig = {
    health: { intervalMs: 10_000, timeoutMs: 5_000, historySize: 360, ...input.health },
    alerts: {
      evaluationIntervalMs: 15_000,
      cooldownMs: 15 * 60 * 1000,
      ingestedCooldownMs: 0,
      rules: defaultAlertRules(),
      logMinSeverity: 'info',
      ...input.alerts,
    },
    audit: { serviceStatus: true, riskAlerts: true, healthTransitions: true, alertNotifications: true, ...input.audit },
    ...(input.webhook === undefined
      ? {}
      : { webhook: { minSeverity: 'warning', timeoutMs: 5_000, retries: 3, ...input.webhook } }),
    ...(input.smtp === undefined
      ? {}
      : { smtp: { port: 25, minSeverity: 'critical', timeoutMs: 10_000, ...input.smtp, to: [...input.smtp.to] } }),
  };
  const problems: FieldProblem[] = [];
  positiveInt(problems, 'monitoring.health.intervalMs', config.health.intervalMs);
  positiveInt(problems, 'monitoring.health.timeoutMs', config.health.timeoutMs);
  positiveInt(problems, 'monitoring.health.historySize', config.health.historySize);
  positiveInt(problems, 'monitoring.alerts.evaluationIntervalMs', config.alerts.evaluationIntervalMs);
  for (const key of ['cooldownMs', 'ingestedCooldownMs'] as const) {
    const value = config.alerts[key];
    if (!Number.isInteger(value) || value < 0) {
      problems.push({ field: `monitoring.alerts.${key}`, message: 'must be an integer ≥ 0 (milliseconds)', value });
    }
  }
  severity(problems, 'monitoring.alerts.logMinSeverity', config.alerts.logMinSeverity);
  if (config.webhook !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(config.webhook.url).protocol;
    } catch {
      protocol = '';
    }
    // The URL may carry a token: report that it is wrong, not what it is.
    if (protocol !== 'http:' && protocol !== 'https:') {
      problems.push({ field: 'monitoring.webhook.url', message: 'must be an http:// or https:// URL' });
    }
    severity(problems, 'monitoring.webhook.minSeverity', config.webhook.minSeverity);
    positiveInt(problems, 'monitoring.webhook.timeoutMs', config.webhook.timeoutMs);
    if (!Number.isInteger(config.webhook.retries) || config.webhook.retries < 0) {
      problems.push({
        field: 'monitoring.webhook.retries',
        message: 'must be an integer ≥ 0',
        value: config.webhook.retries,
      });
    }
  }
  if (config.smtp !== undefined) {
    const smtp = config.smtp;
    if (typeof smtp.host !== 'string' || smtp.host.trim() === '') {
      problems.push({ field: 'monitoring.smtp.host', message: 'must name the SMTP relay', value: smtp.host });
    }
    if (!Number.isInteger(smtp.port) || smtp.port < 1 || smtp.port > 65_535) {
      problems.push({ field: 'monitoring.smtp.port', message: 'must be a port number 1..65535', value: smtp.port });
    }
    if (!ADDRESS_PATTERN.test(smtp.from)) {
      problems.push({ field: 'monitoring.smtp.from', message: 'must be a mail address', value: smtp.from });
    }
    if (smtp.to.length === 0) problems.push({ field: 'monitoring.smtp.to', message: 'must list at least one address' });
    smtp.to.forEach((a, i) => {
      if (!ADDRESS_PATTERN.test(a))
        problems.push({ field: `monitoring.smtp.to[${i}]`, message: 'must be a mail address', value: a });
    });
    severity(problems, 'monitoring.smtp.minSeverity', smtp.minSeverity);
    positiveInt(problems, 'monitoring.smtp.timeoutMs', smtp.timeoutMs);
  }
  if (problems.length > 0) throw new ConfigError(problems, 'monitoring configuration');
  return config;
}
