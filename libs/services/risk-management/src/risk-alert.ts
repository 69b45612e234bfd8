import type { RiskAlert, RiskAlertSeverity } from '@rrr/core';

// The payload of the bus topic `risk.alert` is core's: risk publishes exactly what the bus carries.
export type { RiskAlert, RiskAlertSeverity };

/**
 * How alerts leave this library: the platform passes the event bus's publish (`(t, p) => bus.publish(t, p)`);
 * tests pass a recorder. Kept this narrow so risk-management needs nothing of the bus but this one call.
 */
export type RiskAlertPublisher = (topic: 'risk.alert', alert: RiskAlert) => void | Promise<void>;

const RANK: Record<RiskAlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export function severityRank(severity: RiskAlertSeverity): number {
  return RANK[severity];
}
