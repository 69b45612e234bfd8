import { ManualClock } from '@rrr/core';
import type { AlertNotification } from '../alerts/alert-notification';
import { FakeSmtpServer } from '../testing/fake-smtp-server';
import { formatAlertMail, SmtpNotifier } from './smtp-notifier';

const notification: AlertNotification = {
  id: '1-1',
  kind: 'firing',
  reason: 'escalated',
  rule: 'drawdown',
  key: 'drawdown',
  severity: 'critical',
  labels: {},
  value: 0.16,
  threshold: 0.15,
  message: 'portfolio drawdown: 0.16 > 0.15 (critical)',
  ts: Date.UTC(2026, 0, 2, 3, 4, 5),
  since: Date.UTC(2026, 0, 2, 3, 0, 0),
  suppressedCount: 3,
  origin: 'rule',
};

describe('SmtpNotifier', () => {
  it('mails the alert through a real SMTP conversation', async () => {
    const server = await FakeSmtpServer.start();
    try {
      const notifier = new SmtpNotifier({
        host: '127.0.0.1',
        port: server.port,
        from: 'alerts@rrr.local',
        to: ['ops@example.com'],
        clock: new ManualClock(notification.ts),
      });
      await notifier.notify(notification);
      const data = server.mails[0].data;
      expect(data).toContain('Subject: [RRR] CRITICAL drawdown\r\n');
      expect(data).toContain('Date: Fri, 02 Jan 2026 03:04:05 +0000\r\n');
      expect(data).toContain('\r\n\r\nportfolio drawdown: 0.16 > 0.15 (critical)\r\n');
      expect(data).toContain('suppressed: 3 since the previous notification');
    } finally {
      await server.close();
    }
  });

  it('formats resolved notifications with their own subject and no suppressed line when there is none', () => {
    const mail = formatAlertMail(
      { ...notification, kind: 'resolved', reason: 'resolved', suppressedCount: 0 },
      '[PAPER]',
    );
    expect(mail.subject).toBe('[PAPER] RESOLVED drawdown');
    expect(mail.text.split('\n')).toEqual([
      'portfolio drawdown: 0.16 > 0.15 (critical)',
      '',
      'alert:      drawdown',
      'severity:   critical',
      'state:      resolved (resolved)',
      'value:      0.16',
      'threshold:  0.15',
      'since:      2026-01-02T03:00:00.000Z',
      'at:         2026-01-02T03:04:05.000Z',
      'origin:     rule',
    ]);
  });
});
