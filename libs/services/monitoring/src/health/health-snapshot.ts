import type { HealthStatus } from '@rrr/core';

/** One service's health as a source reports it; `RegistryHealth['services'][name]` fits. */
export interface ServiceHealthSample {
  status: HealthStatus;
  /** Registry life-cycle state (running, failed, …) when the source knows it. */
  state?: string;
  latencyMs?: number;
  error?: string;
  details?: Record<string, unknown>;
}

/** What a health source returns; `ServiceRegistry.health()` fits as is. */
export interface HealthSourceReport {
  status: HealthStatus;
  services: Record<string, ServiceHealthSample>;
}

export type HealthSource = () => Promise<HealthSourceReport> | HealthSourceReport;

/** One poll's outcome, stamped with the monitor's clock. */
export interface HealthSnapshot {
  ts: number;
  status: HealthStatus;
  services: Record<string, ServiceHealthSample>;
  /** Set when the source itself failed or timed out: the platform counts as down, services as not observed. */
  error?: string;
}

export type ObservedHealth = HealthStatus | 'unknown';

/** A change of status of one service (`service` set) or of the platform as a whole (`service: null`). */
export interface HealthTransition {
  ts: number;
  service: string | null;
  from: ObservedHealth;
  to: ObservedHealth;
  /** The error behind a change to degraded or down, when the source gave one. */
  error?: string;
}

/** Gauge value of a status: 1 up, 0.5 degraded, 0 down. */
export function healthScore(status: HealthStatus): number {
  return status === 'up' ? 1 : status === 'degraded' ? 0.5 : 0;
}
