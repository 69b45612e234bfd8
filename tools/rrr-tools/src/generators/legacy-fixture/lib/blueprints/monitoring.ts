import type { ServiceBlueprint } from '../service-blueprint';

export const monitoringBlueprint: ServiceBlueprint = {
  folder: 'monitoring',
  title: 'Monitoring',
  port: 8501,
  dependsOn: [],
  aliasImport: {
    specifier: '@services/monitoring/alerts/alertRules',
    name: 'ALERT_COOLDOWN_MS',
    call: 'ALERT_COOLDOWN_MS',
  },
  commits: [
    {
      message: 'monitoring: health checks',
      files: {
        'src/health/health_checker.ts': `import { createLogger } from '@shared/logger';

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, boolean>;
}

/** Runs named checks; all passing is ok, some failing is degraded, all failing is down. */
export class HealthChecker {
  private readonly checks = new Map<string, () => boolean | Promise<boolean>>();
  readonly log = createLogger('monitoring').child('health');

  register(name: string, check: () => boolean | Promise<boolean>): void {
    this.checks.set(name, check);
  }

  async run(): Promise<HealthReport> {
    const checks: Record<string, boolean> = {};
    for (const [name, check] of this.checks) {
      try {
        checks[name] = await check();
      } catch (error) {
        this.log.error('check failed', { name, error: String(error) });
        checks[name] = false;
      }
    }
    const results = Object.values(checks);
    const passing = results.filter(Boolean).length;
    const status: HealthStatus = passing === results.length ? 'ok' : passing === 0 ? 'down' : 'degraded';
    return { status, checks };
  }
}
`,
        'src/index.ts': `export * from './health/health_checker';
`,
      },
    },
    {
      message: 'monitoring: alert rules with cooldown',
      files: {
        'src/alerts/alertRules.ts': `export type Severity = 'warning' | 'critical';

export interface AlertRule {
  key: string;
  limit: number;
}

export interface Alert {
  key: string;
  value: number;
  severity: Severity;
  time: number;
}

/** 15 minutes between two alerts of the same key. */
export const ALERT_COOLDOWN_MS = 15 * 60 * 1000;

/** Warning above the limit, critical above 1.5x the limit; one alert per key per cooldown. */
export class AlertEvaluator {
  private readonly lastFired = new Map<string, number>();

  evaluate(rule: AlertRule, value: number, time: number): Alert | null {
    if (value <= rule.limit) return null;
    const last = this.lastFired.get(rule.key);
    if (last !== undefined && time - last < ALERT_COOLDOWN_MS) return null;
    this.lastFired.set(rule.key, time);
    return { key: rule.key, value, severity: value > rule.limit * 1.5 ? 'critical' : 'warning', time };
  }
}
`,
        'src/index.ts': `export * from './health/health_checker';
export * from './alerts/alertRules';
`,
      },
    },
    {
      message: 'monitoring: unit tests',
      files: {
        'tests/health_checker.test.ts': `import { HealthChecker } from '../src/health/health_checker';

describe('HealthChecker', () => {
  it('is degraded when some checks fail, and logs thrown errors', async () => {
    const checker = new HealthChecker();
    checker.register('db', () => true);
    checker.register('bus', async () => {
      throw new Error('unreachable');
    });
    expect(await checker.run()).toEqual({ status: 'degraded', checks: { db: true, bus: false } });
    expect(checker.log.entries[0].fields).toEqual({ name: 'bus', error: 'Error: unreachable' });
  });

  it('is down when every check fails', async () => {
    const checker = new HealthChecker();
    checker.register('db', () => false);
    expect((await checker.run()).status).toBe('down');
  });
});
`,
        'tests/alert_rules.test.ts': `import { ALERT_COOLDOWN_MS, AlertEvaluator } from '../src/alerts/alertRules';

describe('AlertEvaluator', () => {
  const rule = { key: 'daily_loss', limit: 0.05 };

  it('grades severity and respects the cooldown', () => {
    const alerts = new AlertEvaluator();
    expect(alerts.evaluate(rule, 0.04, 0)).toBeNull();
    expect(alerts.evaluate(rule, 0.06, 0)?.severity).toBe('warning');
    expect(alerts.evaluate(rule, 0.09, 1_000)).toBeNull();
    expect(alerts.evaluate(rule, 0.09, ALERT_COOLDOWN_MS)?.severity).toBe('critical');
  });
});
`,
      },
    },
  ],
};
