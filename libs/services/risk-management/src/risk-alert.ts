export type RiskAlertSeverity = 'info' | 'warning' | 'critical';

/** Payload of the bus topic `risk.alert`. */
export interface RiskAlert {
  id: string;
  /** Epoch ms UTC, from the injected clock. */
  ts: number;
  /** The rule or measure the alert is about, e.g. `daily-loss-limit`, `max-leverage`. */
  rule: string;
  severity: RiskAlertSeverity;
  message: string;
  value: number;
  limit: number;
  symbol?: string;
  /** Alerts of the same key held back by the cooldown since the previous one was published. */
  suppressedCount?: number;
}

/**
 * How alerts leave this library: the platform passes the event bus's publish (`(t, p) => bus.publish(t, p)`);
 * tests pass a recorder. Kept this narrow so risk-management needs nothing of the bus but this one call.
 */
export type RiskAlertPublisher = (topic: 'risk.alert', alert: RiskAlert) => void | Promise<void>;

const RANK: Record<RiskAlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export function severityRank(severity: RiskAlertSeverity): number {
  return RANK[severity];
}
