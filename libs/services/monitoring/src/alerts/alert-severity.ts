import type { RiskAlertSeverity } from '@rrr/core';

/** The same scale risk alerts use, so a risk.alert routes like any other alert. */
export type AlertSeverity = RiskAlertSeverity;

export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export function alertSeverityRank(severity: AlertSeverity): number {
  return RANK[severity];
}

export function isAlertSeverity(value: unknown): value is AlertSeverity {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}
