import type { HealthSnapshot, HealthTransition, ObservedHealth, ServiceHealthSample } from './health-snapshot';

/**
 * The transitions to `next`: the platform's overall status against `previousStatus` first, then each service whose
 * status changed, appeared (from `unknown`) or disappeared (to `unknown`) against `previousServices` (the last poll
 * that observed services), in name order. A failed poll (`next.error`) observed no service, so only the overall
 * status can change with it.
 */
export function diffHealth(
  previousStatus: ObservedHealth,
  previousServices: Readonly<Record<string, ServiceHealthSample>>,
  next: HealthSnapshot,
): HealthTransition[] {
  const transitions: HealthTransition[] = [];
  if (previousStatus !== next.status) {
    transitions.push({
      ts: next.ts,
      service: null,
      from: previousStatus,
      to: next.status,
      ...(next.error === undefined ? {} : { error: next.error }),
    });
  }
  if (next.error !== undefined) return transitions;
  const names = [...new Set([...Object.keys(previousServices), ...Object.keys(next.services)])].sort();
  for (const service of names) {
    const was = previousServices[service]?.status ?? 'unknown';
    const sample = next.services[service];
    const now = sample?.status ?? 'unknown';
    if (was === now) continue;
    transitions.push({
      ts: next.ts,
      service,
      from: was,
      to: now,
      ...(sample?.error === undefined ? {} : { error: sample.error }),
    });
  }
  return transitions;
}
