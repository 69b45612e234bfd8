import { toIso } from '@rrr/core';
import { formatDataProblem, type DataProblem, type QualityCheck } from './data-problem';

/** The bars accepted for one series (symbol + interval) and the time range they cover. */
export interface SeriesSummary {
  symbol: string;
  interval: string;
  bars: number;
  /** Open time of the first and last accepted bar (epoch ms UTC); undefined when none was accepted. */
  firstTs?: number;
  lastTs?: number;
}

/** The outcome of checking one source: every row accounted for, every problem listed (up to `maxProblems`). */
export interface QualityReport {
  source: string;
  /** Rows examined, readable or not. */
  rows: number;
  /** Rows that passed, repaired ones included: rows = accepted + rejected + quarantined. */
  accepted: number;
  rejected: number;
  repaired: number;
  quarantined: number;
  /** Problems by severity (a row may have several). */
  errors: number;
  warnings: number;
  /** Problems per check, including the omitted ones. */
  byCheck: Partial<Record<QualityCheck, number>>;
  /** The problems in the order found, at most `maxProblems` of them. */
  problems: DataProblem[];
  /** Problems counted but not listed because the list was full. */
  problemsOmitted: number;
  series: SeriesSummary[];
}

export type RowOutcome = 'accepted' | 'repaired' | 'rejected' | 'quarantined';

/** Collects a report while rows stream through the checks; `build()` returns a snapshot. */
export class QualityReportBuilder {
  private rows = 0;
  private accepted = 0;
  private rejected = 0;
  private repaired = 0;
  private quarantined = 0;
  private errors = 0;
  private warnings = 0;
  private omitted = 0;
  private readonly byCheck: Partial<Record<QualityCheck, number>> = {};
  private readonly problems: DataProblem[] = [];
  private readonly series = new Map<string, SeriesSummary>();
  private lastSummary: SeriesSummary | undefined;

  constructor(
    readonly source: string,
    private readonly maxProblems = 10_000,
  ) {}

  addProblem(problem: DataProblem): void {
    this.byCheck[problem.check] = (this.byCheck[problem.check] ?? 0) + 1;
    if (problem.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.problems.length < this.maxProblems) this.problems.push(problem);
    else this.omitted++;
  }

  countRow(outcome: RowOutcome): void {
    this.rows++;
    if (outcome === 'accepted') this.accepted++;
    else if (outcome === 'repaired') {
      this.accepted++;
      this.repaired++;
    } else if (outcome === 'rejected') this.rejected++;
    else this.quarantined++;
  }

  /** Records an accepted bar of a series; bars of a series arrive in time order. */
  countBar(symbol: string, interval: string, ts: number): void {
    // Rows nearly always continue the previous row's series: no key string is built for them.
    let summary = this.lastSummary;
    if (summary === undefined || summary.symbol !== symbol || summary.interval !== interval) {
      const key = `${symbol}|${interval}`;
      summary = this.series.get(key);
      if (summary === undefined) {
        summary = { symbol, interval, bars: 0, firstTs: ts, lastTs: ts };
        this.series.set(key, summary);
      }
      this.lastSummary = summary;
    }
    summary.bars++;
    if (summary.firstTs === undefined || ts < summary.firstTs) summary.firstTs = ts;
    if (summary.lastTs === undefined || ts > summary.lastTs) summary.lastTs = ts;
  }

  /** Problems found so far, listed or not. */
  get problemCount(): number {
    return this.errors + this.warnings;
  }

  /** Problems found so far with severity error (what a strict import refuses). */
  get errorCount(): number {
    return this.errors;
  }

  build(): QualityReport {
    return {
      source: this.source,
      rows: this.rows,
      accepted: this.accepted,
      rejected: this.rejected,
      repaired: this.repaired,
      quarantined: this.quarantined,
      errors: this.errors,
      warnings: this.warnings,
      byCheck: { ...this.byCheck },
      problems: [...this.problems],
      problemsOmitted: this.omitted,
      series: [...this.series.values()].map((s) => ({ ...s })),
    };
  }
}

/** A report as text lines for a terminal: totals, counts per check, then each listed problem. */
export function formatQualityReport(report: QualityReport, options: { maxLines?: number } = {}): string {
  const maxLines = options.maxLines ?? 50;
  const lines = [
    `quality report for ${report.source}`,
    `  rows ${report.rows}: accepted ${report.accepted} (repaired ${report.repaired}), rejected ${report.rejected}, ` +
      `quarantined ${report.quarantined}; ${report.errors} error(s), ${report.warnings} warning(s)`,
  ];
  for (const s of report.series) {
    const range = s.firstTs === undefined || s.lastTs === undefined ? '' : ` ${toIso(s.firstTs)} → ${toIso(s.lastTs)}`;
    lines.push(`  ${s.symbol} ${s.interval}: ${s.bars} bars${range}`);
  }
  const checks = Object.entries(report.byCheck);
  if (checks.length > 0) lines.push(`  by check: ${checks.map(([check, n]) => `${check} ${n}`).join(', ')}`);
  const shown = report.problems.slice(0, maxLines);
  for (const problem of shown) lines.push(`  - ${formatDataProblem(problem)}`);
  const hidden = report.problems.length - shown.length + report.problemsOmitted;
  if (hidden > 0) lines.push(`  … and ${hidden} more problem(s)`);
  return lines.join('\n');
}
