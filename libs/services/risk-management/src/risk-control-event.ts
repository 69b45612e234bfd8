/** Transitions of the loss circuit breaker and the kill switch, for alerts and the audit trail. */
export type RiskControlEventType =
  | 'circuit-breaker.warning'
  | 'circuit-breaker.halted'
  | 'circuit-breaker.reset'
  | 'circuit-breaker.resumed'
  | 'kill-switch.engaged'
  | 'kill-switch.released';

export interface RiskControlEvent {
  type: RiskControlEventType;
  /** Epoch ms UTC, from the injected clock. */
  ts: number;
  /** The limit behind the transition: a loss-limit rule name, `circuit-breaker` or `kill-switch`. */
  rule: string;
  message: string;
  value?: number;
  limit?: number;
  /** Who resumed, engaged or released (manual transitions). */
  actor?: string;
  details?: Record<string, unknown>;
}

export type RiskControlListener = (event: RiskControlEvent) => void;

/** Whether a control currently blocks new exposure, with what a rejection must say. */
export type HaltStatus = { halted: false } | { halted: true; reason: string; value: number; limit: number };

/** Anything that can stop new exposure: the loss circuit breaker, the kill switch. */
export interface TradingHalt {
  haltStatus(): HaltStatus;
}
