import { statSync } from 'node:fs';
import { RrrError, systemClock, type Bar, type Clock, type Database, type Interval } from '@rrr/core';
import { createFileSource, type FileReadInfo, type FileSourceOptions } from '../sources/file-source';
import { BarStore } from '../storage/bar-store';
import { storeQuarantined } from '../storage/quarantine-store';
import { inferAssetClass, registerSymbols, type AssetClass } from '../storage/symbol-registry';
import { BarQualityChecker, type QuarantineEntry } from '../validation/bar-quality-checker';
import { formatDataProblem, type DataProblem } from '../validation/data-problem';
import type { QualityReport } from '../validation/quality-report';
import type { QualityThresholds } from '../validation/quality-thresholds';
import type { ErrorPolicy, ValidationPolicy } from '../validation/validation-policy';
import { IngestStage } from './ingest-stage';

export interface ImportFileOptions extends FileSourceOptions {
  /** Any bad row fails the whole import and nothing is written. Default false: good rows are stored. */
  strict?: boolean;
  /** What happens to bad rows when not strict. Default `reject`. */
  policy?: ErrorPolicy | Partial<ValidationPolicy>;
  thresholds?: Partial<QualityThresholds>;
  /** Trade files: the interval of the bars built from them. Default 1m. */
  barInterval?: Interval;
  /** Asset class recorded for newly registered symbols. Default: pairs crypto, tickers equity. */
  assetClass?: AssetClass;
  /** Problems listed in the result (more are counted). Default 10,000. */
  maxProblems?: number;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface ImportProgress {
  file: string;
  rowsRead: number;
  barsAccepted: number;
  problems: number;
  /** Share of the file read so far (0…1), from the characters consumed against the file's size. */
  fraction: number;
  done: boolean;
}

export interface ImportResult {
  file: string;
  source: string;
  /** How the file was read; absent when not one row could be split into fields. */
  format?: FileReadInfo['format'];
  /** The column each field was read from, and the columns nothing used. */
  columns: FileReadInfo['columns'];
  ignoredColumns: string[];
  dateFormat?: FileReadInfo['dateFormat'];
  interval: Interval;
  symbols: string[];
  rowsRead: number;
  /** Bars written (inserted or updated). */
  barsStored: number;
  rejected: number;
  repaired: number;
  quarantined: number;
  /** Every problem found (up to `maxProblems`), each with its line number and reason. */
  problems: DataProblem[];
  report: QualityReport;
  durationMs: number;
}

/** A strict import found bad rows: nothing was written. `details.problems` lists them with their lines. */
export class StrictImportError extends RrrError {
  readonly report: QualityReport;

  constructor(file: string, report: QualityReport) {
    const errors = report.problems.filter((p) => p.severity === 'error');
    const shown = errors.slice(0, 5).map(formatDataProblem).join('; ');
    const more = report.errors > 5 ? `; … ${report.errors - 5} more` : '';
    super(
      'DATA_INVALID',
      `${file}: strict import refused, nothing written: ${report.errors} bad row(s): ${shown}${more}`,
      { details: { file, errors: report.errors, problems: errors } },
    );
    this.report = report;
  }
}

/**
 * Imports a CSV/JSON/NDJSON file of bars (or trades, aggregated to bars) into the `bars` table in ONE transaction:
 * a file-level error (encoding, truncation, missing columns) or a strict import with any bad row leaves the database
 * untouched. Otherwise the good rows are stored, and every bad row is reported with its line number and reason and
 * handled by the policy (rejected, repaired or quarantined). Re-importing the same file changes nothing.
 */
export async function importFile(
  db: Database,
  path: string,
  options: ImportFileOptions = {},
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportResult> {
  const started = Date.now();
  const clock = options.clock ?? systemClock;
  const kind = options.kind ?? 'bars';
  const source =
    kind === 'trades'
      ? createFileSource(path, { ...options, kind: 'trades' })
      : createFileSource(path, { ...options, kind: 'bars' });
  const name = source.describe().name;
  const checker = new BarQualityChecker({
    source: name,
    policy: options.strict ? 'reject' : options.policy,
    thresholds: options.thresholds,
    maxProblems: options.maxProblems,
  });
  const stage = new IngestStage({ kind, checker, interval: options.barInterval });
  const store = new BarStore(db);
  let size = 1;
  try {
    size = Math.max(1, statSync(path).size);
  } catch {
    // The read reports a missing file with its name.
  }
  let rowsRead = 0;
  let chars = 0;
  let accepted = 0;
  let stored = 0;
  const symbols = new Set<string>();
  let interval: Interval | undefined;

  const report = (done: boolean) =>
    onProgress?.({
      file: path,
      rowsRead,
      barsAccepted: accepted,
      problems: checker.problemCount,
      fraction: done ? 1 : Math.min(1, chars / size),
      done,
    });

  await db.transaction(async (tx) => {
    const write = async (bars: Bar[], quarantined: QuarantineEntry[]) => {
      for (const bar of bars) symbols.add(bar.symbol);
      if (bars.length > 0) interval = bars[0].interval;
      accepted += bars.length;
      if (!options.strict || checker.errorCount === 0) {
        stored += await store.upsert(bars, tx);
        await storeQuarantined(tx, quarantined, clock.now());
      }
    };
    for await (const batch of source.batches({ signal: options.signal })) {
      const staged = stage.process(batch);
      rowsRead += staged.itemsRead;
      chars += staged.charsRead;
      await write(staged.bars, staged.quarantined);
      report(false);
    }
    const last = stage.finish();
    await write(last.bars, last.quarantined);
    if (options.strict && checker.errorCount > 0) throw new StrictImportError(path, checker.result());
    const now = clock.now();
    await registerSymbols(
      tx,
      [...symbols].map((symbol) => ({ symbol, assetClass: options.assetClass ?? inferAssetClass(symbol) })),
      now,
    );
  });
  report(true);
  const result = checker.result();
  const info: FileReadInfo | undefined = source.info;
  return {
    file: path,
    source: name,
    ...(info === undefined ? {} : { format: info.format, dateFormat: info.dateFormat }),
    columns: info?.columns ?? {},
    ignoredColumns: info?.ignoredColumns ?? [],
    interval:
      interval ??
      info?.interval ??
      options.barInterval ??
      (options.interval === 'auto' ? undefined : options.interval) ??
      '1d',
    symbols: [...symbols].sort(),
    rowsRead,
    barsStored: stored,
    rejected: result.rejected,
    repaired: result.repaired,
    quarantined: result.quarantined,
    problems: result.problems,
    report: result,
    durationMs: Date.now() - started,
  };
}
