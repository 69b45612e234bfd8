import { ConfigError } from '@rrr/core';
import { resolveMonitoringConfig } from './monitoring-config';

describe('resolveMonitoringConfig', () => {
  it('fills in the legacy defaults', () => {
    const config = resolveMonitoringConfig();
    expect(config.alerts.cooldownMs).toBe(15 * 60 * 1000);
    expect(config.alerts.rules.map((r) => r.name)).toEqual([
      'drawdown',
      'api-latency-p99',
      'ingestion-errors',
      'service-down',
    ]);
    expect(config.health).toEqual({ intervalMs: 10_000, timeoutMs: 5_000, historySize: 360 });
    expect(config.webhook).toBeUndefined();
    expect(resolveMonitoringConfig({ webhook: { url: 'https://hooks.example.com/x' } }).webhook).toEqual({
      url: 'https://hooks.example.com/x',
      minSeverity: 'warning',
      timeoutMs: 5_000,
      retries: 3,
    });
  });

  it('names every bad key without echoing a webhook URL that may hold a token', () => {
    let error: unknown;
    try {
      resolveMonitoringConfig({
        health: { intervalMs: 0 },
        alerts: { cooldownMs: -5, logMinSeverity: 'loud' as never },
        webhook: { url: 'hooks.example.com/T0KEN', retries: -1 },
        smtp: { host: '', from: 'nobody', to: [], port: 70_000 },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.field)).toEqual([
      'monitoring.health.intervalMs',
      'monitoring.alerts.cooldownMs',
      'monitoring.alerts.logMinSeverity',
      'monitoring.webhook.url',
      'monitoring.webhook.retries',
      'monitoring.smtp.host',
      'monitoring.smtp.port',
      'monitoring.smtp.from',
      'monitoring.smtp.to',
    ]);
    expect(JSON.stringify(problems)).not.toContain('T0KEN');
  });
});
