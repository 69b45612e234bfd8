import type { AlertSeverity } from './alert-severity';

/**
 * Why a notification went out: a key starting to fire (`new`), its severity rising during the cooldown
 * (`escalated`), still firing once the cooldown has passed (`repeat`), or its condition clearing (`resolved`).
 */
export type AlertNotificationReason = 'new' | 'escalated' | 'repeat' | 'resolved';

/** What notifiers receive (and the webhook posts as its JSON body). */
export interface AlertNotification {
  /** Unique per manager: `<ts>-<counter>`; lets a receiver drop a retried duplicate. */
  id: string;
  kind: 'firing' | 'resolved';
  reason: AlertNotificationReason;
  /** The rule's name; risk.alert events arrive as `risk:<rule>`. */
  rule: string;
  /** The rule plus its group labels, e.g. `service-down{service="data-pipeline"}`: cooldowns are per key. */
  key: string;
  /** A resolved notification carries the severity it had last been announced with. */
  severity: AlertSeverity;
  labels: Record<string, string>;
  /** The measured value (null when a resolved key no longer reports one). */
  value: number | null;
  /** The threshold (or a risk alert's limit) that was crossed. */
  threshold: number | null;
  message: string;
  /** Epoch ms of this notification. */
  ts: number;
  /** Epoch ms the condition started holding (for resolved: how long it lasted). */
  since: number;
  /** Occurrences held back by the cooldown since this key's previous notification. */
  suppressedCount: number;
  /** `rule` for the manager's own rules, else where an ingested alert came from (e.g. `risk-management`). */
  origin: string;
}

/** A currently firing alert key, for the dashboard and the API. */
export interface ActiveAlert {
  key: string;
  rule: string;
  labels: Record<string, string>;
  severity: AlertSeverity;
  value: number;
  threshold: number;
  message: string;
  since: number;
  /** When this key's latest firing notification went out (undefined: held back by the cooldown so far). */
  notifiedAt?: number;
  suppressedCount: number;
}
