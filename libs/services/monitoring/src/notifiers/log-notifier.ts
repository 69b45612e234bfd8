import type { RrrLogger } from '@rrr/core';
import type { AlertNotification } from '../alerts/alert-notification';
import type { AlertNotifier } from './alert-notifier';

/** Writes each notification as one structured log line: critical → error, warning → warn, info and resolved → info. */
export class LogNotifier implements AlertNotifier {
  readonly name: string;

  constructor(
    private readonly logger: RrrLogger,
    name = 'log',
  ) {
    this.name = name;
  }

  async notify(n: AlertNotification): Promise<void> {
    const level =
      n.kind === 'resolved' ? 'info' : n.severity === 'critical' ? 'error' : n.severity === 'warning' ? 'warn' : 'info';
    const suffix = n.suppressedCount > 0 ? ` (${n.suppressedCount} suppressed since the previous notification)` : '';
    this.logger[level](
      { alert: n },
      `[${n.kind === 'resolved' ? 'RESOLVED' : n.severity.toUpperCase()}] ${n.message}${suffix}`,
    );
  }
}
