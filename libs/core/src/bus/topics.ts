import type { Bar, Fill, Order, Position, Prediction, Quote, Signal, Trade } from '../domain';
import type { ServiceStatusEvent } from '../registry';

export type RiskAlertSeverity = 'info' | 'warning' | 'critical';

/** A risk rule crossed (or approached) its limit; `value` and `limit` are in the rule's own unit. */
export interface RiskAlert {
  id: string;
  /** Epoch milliseconds UTC. */
  ts: number;
  /** Name of the rule, e.g. `daily-loss-limit`. */
  rule: string;
  severity: RiskAlertSeverity;
  message: string;
  value: number;
  limit: number;
  /** The instrument the alert is about, when it is about one. */
  symbol?: string;
  /** Alerts of the same key held back by the cooldown since this key last fired. */
  suppressedCount?: number;
}

/**
 * The platform's topics and their payloads. A type alias rather than an interface, so that it satisfies the bus's
 * `Record<string, unknown>` constraint.
 */
export type PlatformTopics = {
  bar: Bar;
  trade: Trade;
  quote: Quote;
  signal: Signal;
  prediction: Prediction;
  'order.submitted': Order;
  'order.accepted': Order;
  'order.rejected': Order;
  'order.filled': Order;
  'order.cancelled': Order;
  'order.expired': Order;
  fill: Fill;
  position: Position;
  'risk.alert': RiskAlert;
  'service.status': ServiceStatusEvent;
};

export type PlatformTopic = keyof PlatformTopics;
