import type { FieldProblem } from '@rrr/core';
import type { AlertNotifier } from '../notifiers/alert-notifier';
import type { AlertNotification } from './alert-notification';
import { alertSeverityRank, isAlertSeverity, type AlertSeverity } from './alert-severity';

/** Which notifications a notifier gets. */
export interface AlertRoute {
  notifier: AlertNotifier;
  /** Least severity delivered; default `info` (everything). */
  minSeverity?: AlertSeverity;
  /** Only these rules: exact names, or a prefix ending in `*` (`risk:*`). Default: all. */
  rules?: readonly string[];
  /** Deliver resolved notifications too; default true. */
  resolved?: boolean;
}

function ruleMatches(patterns: readonly string[], rule: string): boolean {
  return patterns.some((p) => (p.endsWith('*') ? rule.startsWith(p.slice(0, -1)) : rule === p));
}

export function routeAccepts(route: AlertRoute, notification: AlertNotification): boolean {
  if (notification.kind === 'resolved' && route.resolved === false) return false;
  if (alertSeverityRank(notification.severity) < alertSeverityRank(route.minSeverity ?? 'info')) return false;
  return route.rules === undefined || ruleMatches(route.rules, notification.rule);
}

export function validateAlertRoute(route: AlertRoute, index: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof route.notifier?.notify !== 'function' || typeof route.notifier.name !== 'string') {
    problems.push({ field: `routes[${index}].notifier`, message: 'must have a name and a notify() function' });
  }
  if (route.minSeverity !== undefined && !isAlertSeverity(route.minSeverity)) {
    problems.push({
      field: `routes[${index}].minSeverity`,
      message: 'must be info, warning or critical',
      value: route.minSeverity,
    });
  }
  return problems;
}
