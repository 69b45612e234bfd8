import { createLogger } from '@rrr/core';
import { Writable } from 'node:stream';
import type { AlertNotification } from '../alerts/alert-notification';
import { LogNotifier } from './log-notifier';

describe('LogNotifier', () => {
  it('logs critical as error, warning as warn and resolved as info, with the alert as structured data', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _enc, done) {
          lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
          done();
        },
      }),
    });
    const base: AlertNotification = {
      id: '1',
      kind: 'firing',
      reason: 'new',
      rule: 'drawdown',
      key: 'drawdown',
      severity: 'critical',
      labels: {},
      value: 0.2,
      threshold: 0.15,
      message: 'portfolio drawdown: 0.2 > 0.15 (critical)',
      ts: 1,
      since: 1,
      suppressedCount: 2,
      origin: 'rule',
    };
    const notifier = new LogNotifier(logger);
    await notifier.notify(base);
    await notifier.notify({ ...base, severity: 'warning', suppressedCount: 0 });
    await notifier.notify({ ...base, kind: 'resolved', reason: 'resolved' });
    expect(lines.map((l) => [l['level'], l['msg']])).toEqual([
      ['error', '[CRITICAL] portfolio drawdown: 0.2 > 0.15 (critical) (2 suppressed since the previous notification)'],
      ['warn', '[WARNING] portfolio drawdown: 0.2 > 0.15 (critical)'],
      ['info', '[RESOLVED] portfolio drawdown: 0.2 > 0.15 (critical) (2 suppressed since the previous notification)'],
    ]);
    expect(lines[0]['alert']).toMatchObject({ key: 'drawdown', value: 0.2 });
  });
});
