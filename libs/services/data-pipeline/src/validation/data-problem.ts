/**
 * What the quality checks look for. Errors make a row unusable as it stands; warnings (anomalies) describe rows that
 * are valid but unusual, which real markets produce (a crash day is a spike), so they are reported and kept by default.
 */
export const QUALITY_CHECKS = {
  /** The row could not be read at all: a missing field, text where a number belongs, an unreadable date. */
  unparseable: 'error',
  /** high < max(open, close, low) or low > min(open, close). */
  'ohlc-inconsistent': 'error',
  /** A price outside (0, 1e7), or not a finite number. */
  'price-out-of-bounds': 'error',
  'negative-volume': 'error',
  /** Any other field the domain rejects (symbol grammar, timestamp range, vwap outside [low, high], trades). */
  'invalid-field': 'error',
  /** A second row for a timestamp already seen in the series. */
  'duplicate-timestamp': 'error',
  /** A row older than one already accepted: a stream cannot put it back in place. */
  'out-of-order': 'error',
  /** More than `gapIntervals` intervals between consecutive bars. */
  gap: 'warning',
  /** A close-to-close move above `spikeReturn`, or a log return whose rolling z-score exceeds `spikeZ`. */
  spike: 'warning',
  /** Volume above `volumeOutlierFactor` times the rolling average. */
  'volume-outlier': 'warning',
} as const;

export type QualityCheck = keyof typeof QUALITY_CHECKS;
export type ProblemSeverity = (typeof QUALITY_CHECKS)[QualityCheck];

/** What happened to the row: never nothing, so a problem can never pass silently. */
export type ProblemAction = 'rejected' | 'repaired' | 'quarantined' | 'kept';

/** One field a repair changed, with the value before and after (null: the field was dropped). */
export interface RepairChange {
  field: string;
  from: number;
  to: number | null;
}

/** One problem with one row: where it came from, what is wrong, and what the policy did about it. */
export interface DataProblem {
  /** The source's name, e.g. `file:/data/btc.csv`, `bundled:SPX`, `synthetic:BTC-USD`. */
  source: string;
  check: QualityCheck;
  severity: ProblemSeverity;
  /** What is wrong, in words a user can act on. */
  reason: string;
  action: ProblemAction;
  symbol?: string;
  interval?: string;
  /** Line number in a file source (1-based, the header is line 1). */
  line?: number;
  /** The row's timestamp (epoch ms UTC), when it could be read. */
  ts?: number;
  /** For `repaired`: every field that was changed. */
  changes?: RepairChange[];
}

export function severityOf(check: QualityCheck): ProblemSeverity {
  return QUALITY_CHECKS[check];
}

/** `file:/x.csv line 12 (2020-01-03T00:00:00.000Z)`: where a problem is, for messages. */
export function describeProblemLocation(problem: Pick<DataProblem, 'source' | 'line' | 'ts'>): string {
  const parts = [problem.source];
  if (problem.line !== undefined) parts.push(`line ${problem.line}`);
  if (problem.ts !== undefined && Number.isFinite(problem.ts)) {
    const date = new Date(problem.ts);
    if (!Number.isNaN(date.getTime())) parts.push(`(${date.toISOString()})`);
  }
  return parts.join(' ');
}

/** One problem as one line of text: `file:/x.csv line 12: ohlc-inconsistent — high … [repaired: high 9 → 11]`. */
export function formatDataProblem(problem: DataProblem): string {
  const changes =
    problem.changes === undefined || problem.changes.length === 0
      ? ''
      : `: ${problem.changes.map((c) => `${c.field} ${c.from} → ${c.to ?? 'dropped'}`).join(', ')}`;
  return `${describeProblemLocation(problem)}: ${problem.check} — ${problem.reason} [${problem.action}${changes}]`;
}
