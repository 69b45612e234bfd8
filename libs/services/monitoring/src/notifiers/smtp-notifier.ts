import { systemClock, type Clock } from '@rrr/core';
import type { AlertNotification } from '../alerts/alert-notification';
import type { AlertNotifier } from './alert-notifier';
import { sendSmtpMail, type SmtpClientOptions } from './smtp-client';

export interface SmtpNotifierOptions extends SmtpClientOptions {
  from: string;
  to: readonly string[];
  /** Subject prefix. Default `[RRR]`. */
  subjectPrefix?: string;
  name?: string;
  clock?: Clock;
}

/** The mail text of a notification: what happened, the figures, and when. */
export function formatAlertMail(n: AlertNotification, prefix = '[RRR]'): { subject: string; text: string } {
  const state = n.kind === 'resolved' ? 'RESOLVED' : n.severity.toUpperCase();
  const lines = [
    n.message,
    '',
    `alert:      ${n.key}`,
    `severity:   ${n.severity}`,
    `state:      ${n.kind} (${n.reason})`,
    ...(n.value === null ? [] : [`value:      ${n.value}`]),
    ...(n.threshold === null ? [] : [`threshold:  ${n.threshold}`]),
    `since:      ${new Date(n.since).toISOString()}`,
    `at:         ${new Date(n.ts).toISOString()}`,
    ...(n.suppressedCount > 0 ? [`suppressed: ${n.suppressedCount} since the previous notification`] : []),
    `origin:     ${n.origin}`,
  ];
  return { subject: `${prefix} ${state} ${n.key}`, text: lines.join('\n') };
}

/** Mails each notification through an SMTP relay (see sendSmtpMail for what the client speaks). */
export class SmtpNotifier implements AlertNotifier {
  readonly name: string;
  private readonly clock: Clock;

  constructor(private readonly options: SmtpNotifierOptions) {
    this.name = options.name ?? 'smtp';
    this.clock = options.clock ?? systemClock;
  }

  async notify(notification: AlertNotification): Promise<void> {
    const { subject, text } = formatAlertMail(notification, this.options.subjectPrefix);
    await sendSmtpMail(this.options, {
      from: this.options.from,
      to: this.options.to,
      subject,
      text,
      date: this.clock.now(),
    });
  }
}
