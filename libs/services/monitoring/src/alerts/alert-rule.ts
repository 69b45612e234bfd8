import type { FieldProblem } from '@rrr/core';
import { ALERT_SEVERITIES, type AlertSeverity } from './alert-severity';

/** Which series of a metric a rule looks at, and how they are grouped into alert keys. */
export interface MetricSelector {
  /** Full metric name, e.g. `rrr_drawdown_ratio`. */
  metric: string;
  /** Only series whose labels have exactly these values. */
  match?: Readonly<Record<string, string>>;
  /** One alert key per distinct value of these labels (e.g. `['service']`); without it all series form one group. */
  by?: readonly string[];
}

/**
 * Where a rule's value comes from:
 * - `metric`: the current value of a gauge or counter, series of a group combined with `aggregate` (default `max`).
 * - `increase`: how much a counter grew over the last `windowMs` (summed over the group's series).
 * - `rate`: that increase per second.
 * - `quantile`: a histogram quantile (e.g. 0.99) over the observations of the last `windowMs` (or all of them),
 *   interpolated within buckets like Prometheus' histogram_quantile.
 * - `value`: a function, for figures that are not metrics; undefined means "no data".
 */
export type AlertSource =
  | (MetricSelector & { kind: 'metric'; aggregate?: 'sum' | 'max' | 'min' | 'avg' })
  | (MetricSelector & { kind: 'increase'; windowMs: number })
  | (MetricSelector & { kind: 'rate'; windowMs: number })
  | (MetricSelector & { kind: 'quantile'; quantile: number; windowMs?: number })
  | { kind: 'value'; read: () => number | undefined | Promise<number | undefined> };

export type AlertComparison = '>' | '>=' | '<' | '<=';

/**
 * A declarative alert rule: the condition holds when `value <op> threshold` for at least one threshold, and the
 * alert takes the severity of the most severe threshold crossed. E.g. drawdown `>` warning 0.10, critical 0.15.
 */
export interface AlertRule {
  /** kebab-case, unique; also the alert key for an ungrouped rule. */
  name: string;
  /** Human wording used in messages; defaults to the name. */
  description?: string;
  source: AlertSource;
  op: AlertComparison;
  thresholds: Partial<Record<AlertSeverity, number>>;
  /** Per alert key; defaults to the manager's cooldown (15 minutes, legacy). */
  cooldownMs?: number;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const METRIC_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LABEL_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const AGGREGATES = ['sum', 'max', 'min', 'avg'];
const COMPARISONS: readonly AlertComparison[] = ['>', '>=', '<', '<='];

function checkSelector(source: MetricSelector, problems: FieldProblem[]): void {
  if (typeof source.metric !== 'string' || !METRIC_PATTERN.test(source.metric)) {
    problems.push({
      field: 'source.metric',
      message: 'must be a metric name, e.g. rrr_drawdown_ratio',
      value: source.metric,
    });
  }
  if (source.match !== undefined) {
    for (const [label, value] of Object.entries(source.match)) {
      if (!LABEL_PATTERN.test(label) || typeof value !== 'string') {
        problems.push({ field: `source.match.${label}`, message: 'must map a label name to a string value', value });
      }
    }
  }
  source.by?.forEach((label, i) => {
    if (typeof label !== 'string' || !LABEL_PATTERN.test(label) || label === 'le') {
      problems.push({ field: `source.by[${i}]`, message: 'must be a label name (not "le")', value: label });
    }
  });
}

function checkWindow(windowMs: unknown, required: boolean, problems: FieldProblem[]): void {
  if (windowMs === undefined && !required) return;
  if (typeof windowMs !== 'number' || !Number.isInteger(windowMs) || windowMs <= 0) {
    problems.push({
      field: 'source.windowMs',
      message: 'must be an integer number of milliseconds > 0',
      value: windowMs,
    });
  }
}

function checkSource(source: AlertSource | undefined, problems: FieldProblem[]): void {
  if (source === undefined || typeof source !== 'object') {
    problems.push({ field: 'source', message: 'is required' });
    return;
  }
  switch (source.kind) {
    case 'metric':
      checkSelector(source, problems);
      if (source.aggregate !== undefined && !AGGREGATES.includes(source.aggregate)) {
        problems.push({
          field: 'source.aggregate',
          message: `must be one of ${AGGREGATES.join(', ')}`,
          value: source.aggregate,
        });
      }
      return;
    case 'increase':
    case 'rate':
      checkSelector(source, problems);
      checkWindow(source.windowMs, true, problems);
      return;
    case 'quantile':
      checkSelector(source, problems);
      checkWindow(source.windowMs, false, problems);
      if (typeof source.quantile !== 'number' || !(source.quantile > 0 && source.quantile <= 1)) {
        problems.push({ field: 'source.quantile', message: 'must be in (0, 1], e.g. 0.99', value: source.quantile });
      }
      return;
    case 'value':
      if (typeof source.read !== 'function') problems.push({ field: 'source.read', message: 'must be a function' });
      return;
    default:
      problems.push({
        field: 'source.kind',
        message: 'must be metric, increase, rate, quantile or value',
        value: (source as { kind?: unknown }).kind,
      });
  }
}

/** Every problem with a rule, each naming its field; an empty list means the rule is usable. */
export function validateAlertRule(rule: AlertRule): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof rule.name !== 'string' || !NAME_PATTERN.test(rule.name)) {
    problems.push({ field: 'name', message: 'must be kebab-case: a-z, 0-9 and -', value: rule.name });
  }
  checkSource(rule.source, problems);
  if (!COMPARISONS.includes(rule.op)) {
    problems.push({ field: 'op', message: `must be one of ${COMPARISONS.join(' ')}`, value: rule.op });
  }
  const given = ALERT_SEVERITIES.filter((s) => rule.thresholds?.[s] !== undefined);
  if (given.length === 0) {
    problems.push({ field: 'thresholds', message: 'must set at least one of info, warning, critical' });
  }
  for (const severity of given) {
    const value = rule.thresholds[severity];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push({ field: `thresholds.${severity}`, message: 'must be a finite number', value });
    }
  }
  // A more severe threshold must be crossed later than a milder one, or the milder severity could never be reached.
  const ascending = rule.op === '>' || rule.op === '>=';
  for (let i = 1; i < given.length; i++) {
    const milder = rule.thresholds[given[i - 1]] as number;
    const severe = rule.thresholds[given[i]] as number;
    if (ascending ? severe < milder : severe > milder) {
      problems.push({
        field: `thresholds.${given[i]}`,
        message: `must be ${ascending ? '≥' : '≤'} thresholds.${given[i - 1]} (${milder}) for op ${rule.op}`,
        value: severe,
      });
    }
  }
  if (rule.cooldownMs !== undefined && (!Number.isInteger(rule.cooldownMs) || rule.cooldownMs < 0)) {
    problems.push({
      field: 'cooldownMs',
      message: 'must be an integer number of milliseconds ≥ 0',
      value: rule.cooldownMs,
    });
  }
  return problems;
}

function compare(value: number, op: AlertComparison, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** The most severe threshold `value` crosses, or undefined when the condition does not hold. */
export function crossedThreshold(
  rule: Pick<AlertRule, 'op' | 'thresholds'>,
  value: number,
): { severity: AlertSeverity; threshold: number } | undefined {
  for (const severity of [...ALERT_SEVERITIES].reverse()) {
    const threshold = rule.thresholds[severity];
    if (threshold !== undefined && compare(value, rule.op, threshold)) return { severity, threshold };
  }
  return undefined;
}
