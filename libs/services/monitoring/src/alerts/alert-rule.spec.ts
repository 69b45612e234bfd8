import { crossedThreshold, validateAlertRule, type AlertRule } from './alert-rule';
import { defaultAlertRules } from './default-alert-rules';

const drawdown: AlertRule = {
  name: 'drawdown',
  source: { kind: 'metric', metric: 'rrr_drawdown_ratio' },
  op: '>',
  thresholds: { warning: 0.1, critical: 0.15 },
};

describe('validateAlertRule', () => {
  it('accepts the default legacy rules', () => {
    for (const rule of defaultAlertRules()) expect(validateAlertRule(rule)).toEqual([]);
  });

  it('names every problem with its field', () => {
    const bad = {
      name: 'Drawdown Rule',
      source: { kind: 'rate', metric: 'rrr bad', windowMs: 0, by: ['le'] },
      op: '=>',
      thresholds: { warning: 0.2, critical: 0.1 },
      cooldownMs: -1,
    } as unknown as AlertRule;
    expect(validateAlertRule(bad).map((p) => p.field)).toEqual([
      'name',
      'source.metric',
      'source.by[0]',
      'source.windowMs',
      'op',
      'cooldownMs',
    ]);
    expect(validateAlertRule({ ...drawdown, thresholds: {} }).map((p) => p.message)).toEqual([
      'must set at least one of info, warning, critical',
    ]);
    expect(validateAlertRule({ ...drawdown, thresholds: { warning: 0.2, critical: 0.1 } })).toEqual([
      { field: 'thresholds.critical', message: 'must be ≥ thresholds.warning (0.2) for op >', value: 0.1 },
    ]);
    expect(
      validateAlertRule({ ...drawdown, op: '<', thresholds: { warning: 0.5, critical: 1 } }).map((p) => p.field),
    ).toEqual(['thresholds.critical']);
    expect(
      validateAlertRule({ ...drawdown, source: { kind: 'quantile', metric: 'rrr_x', quantile: 0 } }).map(
        (p) => p.field,
      ),
    ).toEqual(['source.quantile']);
  });
});

describe('crossedThreshold', () => {
  it('picks the most severe threshold crossed', () => {
    expect(crossedThreshold(drawdown, 0.05)).toBeUndefined();
    expect(crossedThreshold(drawdown, 0.1)).toBeUndefined();
    expect(crossedThreshold(drawdown, 0.12)).toEqual({ severity: 'warning', threshold: 0.1 });
    expect(crossedThreshold(drawdown, 0.2)).toEqual({ severity: 'critical', threshold: 0.15 });
    expect(crossedThreshold(drawdown, Number.NaN)).toBeUndefined();
  });

  it('works downwards for < rules', () => {
    const down = { op: '<' as const, thresholds: { warning: 1, critical: 0.5 } };
    expect(crossedThreshold(down, 1)).toBeUndefined();
    expect(crossedThreshold(down, 0.5)).toEqual({ severity: 'warning', threshold: 1 });
    expect(crossedThreshold(down, 0)).toEqual({ severity: 'critical', threshold: 0.5 });
  });
});
