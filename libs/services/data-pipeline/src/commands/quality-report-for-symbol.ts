import { NotFoundError, isInterval, toIso, type Database, type Interval } from '@rrr/core';
import { BarStore } from '../storage/bar-store';
import { countQuarantined, readQuarantined, type QuarantinedRow } from '../storage/quarantine-store';
import { BarQualityChecker } from '../validation/bar-quality-checker';

import { formatQualityReport, type QualityReport } from '../validation/quality-report';
import type { QualityThresholds } from '../validation/quality-thresholds';

export interface SymbolQualityOptions {
  symbol: string;
  /** Default: every stored interval of the symbol. */
  interval?: Interval;
  thresholds?: Partial<QualityThresholds>;
  /** Quarantined rows listed (all are counted). Default 20. */
  quarantineSample?: number;
}

/** The quality of what is stored for a symbol: the checks re-run over each stored series, and its quarantine. */
export interface SymbolQualityReport {
  symbol: string;
  series: { interval: Interval; report: QualityReport }[];
  quarantined: number;
  quarantineSample: QuarantinedRow[];
}

/**
 * `rrr data quality --symbol X`: streams every stored series of the symbol through the quality checks (gaps,
 * spikes, volume outliers, and any invalid bar another writer stored) and counts its quarantined rows. Nothing is
 * changed. A symbol with neither bars nor quarantined rows is a NotFoundError.
 */
export async function qualityReport(db: Database, options: SymbolQualityOptions): Promise<SymbolQualityReport> {
  const store = new BarStore(db);
  const stored = (await store.series(options.symbol)).filter(
    (s) => options.interval === undefined || s.interval === options.interval,
  );
  const quarantined = await countQuarantined(db, {
    symbol: options.symbol,
    ...(options.interval === undefined ? {} : { interval: options.interval }),
  });
  if (stored.length === 0 && quarantined === 0) {
    throw new NotFoundError(
      options.interval === undefined ? 'stored bars of symbol' : `stored ${options.interval} bars of symbol`,
      options.symbol,
    );
  }
  const series: SymbolQualityReport['series'] = [];
  for (const s of stored) {
    if (!isInterval(s.interval)) continue;
    const checker = new BarQualityChecker({
      source: `stored:${options.symbol}:${s.interval}`,
      policy: { errors: 'reject', anomalies: 'keep' },
      thresholds: options.thresholds,
    });
    for await (const bars of store.stream({ symbol: options.symbol, interval: s.interval })) {
      for (const bar of bars) checker.check(bar);
    }
    series.push({ interval: s.interval, report: checker.result() });
  }
  const quarantineSample = await readQuarantined(db, {
    symbol: options.symbol,
    ...(options.interval === undefined ? {} : { interval: options.interval }),
    limit: options.quarantineSample ?? 20,
  });
  return { symbol: options.symbol, series, quarantined, quarantineSample };
}

/** The report as terminal text: one block per series, then the quarantine. */
export function formatSymbolQualityReport(report: SymbolQualityReport, options: { maxLines?: number } = {}): string {
  const blocks = report.series.map((s) => formatQualityReport(s.report, options));
  const lines = [`quarantined rows for ${report.symbol}: ${report.quarantined}`];
  for (const row of report.quarantineSample) {
    const when = row.ts === undefined ? '' : ` ${toIso(row.ts)}`;
    const where = row.line === undefined ? '' : ` line ${row.line}`;
    lines.push(`  #${row.id} ${row.source}${where}${when}: ${row.problems.map((p) => p.reason).join('; ')}`);
  }
  if (report.quarantined > report.quarantineSample.length) {
    lines.push(`  … ${report.quarantined - report.quarantineSample.length} more (table quarantined_rows)`);
  }
  return [...blocks, lines.join('\n')].join('\n\n');
}
