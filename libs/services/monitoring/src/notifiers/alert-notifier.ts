import type { AlertNotification } from '../alerts/alert-notification';

/** Delivers alert notifications somewhere (log, webhook, mail…). A rejection is counted and logged, never fatal. */
export interface AlertNotifier {
  /** Used in logs and the rrr_alert_notifier_failures_total{notifier} label. */
  readonly name: string;
  notify(notification: AlertNotification): Promise<void>;
}
