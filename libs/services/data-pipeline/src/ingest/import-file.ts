import { statSync } from 'node:fs';
import { RrrError, systemClock, type Bar, type Clock, type Database, type Interval } from '@rrr/core';
import type { FileReadInfo } from '../sources/file-source';
import { BarStore } from '../storage/bar-store';
import { storeQuarantined } from '../storage/quarantine-store';
import { inferAssetClass, registerSymbols, type AssetClass } from '../storage/symbol-registry';
import type { QuarantineEntry } from '../validation/bar-quality-checker';
import { formatDataProblem, type DataProblem } from '../validation/data-problem';
import type { QualityReport } from '../validation/quality-report';
import { importWorkerScript } from './import-worker-script';
import { stageFile, type FileStaging, type FileStagingOptions } from './stage-file';
import { stageFileOnWorker } from './stage-file-on-worker';

export interface ImportFileOptions extends FileStagingOptions {
  /** Asset class recorded for newly registered symbols. Default: pairs crypto, tickers equity. */
  assetClass?: AssetClass;
  /**
   * Read, parse and check the file on a worker thread while this one stores the batches before (same results; ~1.5×
   * the throughput when a second core is free, bounded by the SQLite writes). `auto` (default): for files of at least
   * WORKER_MIN_FILE_BYTES, when the worker script can be had (a checkout, or a bundle with its prebuilt workers);
   * otherwise on this thread.
   */
  worker?: boolean | 'auto';
  clock?: Clock;
  signal?: AbortSignal;
}

/**
 * Below this size the first import of a process loses more to the worker's start-up (0.25–0.45 s measured: the
 * thread, the bundle and its packages, cold compiled code) than the overlap saves (~1.2 µs a row of parsing).
 */
export const WORKER_MIN_FILE_BYTES = 16 * 1024 * 1024;

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
  let size = 1;
  try {
    size = Math.max(1, statSync(path).size);
  } catch {
    // The read reports a missing file with its name.
  }
  const staging = await chooseStaging(path, options, size);
  const store = new BarStore(db);
  let rowsRead = 0;
  let chars = 0;
  let accepted = 0;
  let stored = 0;
  let problems = 0;
  const symbols = new Set<string>();
  let interval: Interval | undefined;

  const report = (done: boolean) =>
    onProgress?.({
      file: path,
      rowsRead,
      barsAccepted: accepted,
      problems,
      fraction: done ? 1 : Math.min(1, chars / size),
      done,
    });

  await db.transaction(async (tx) => {
    const write = async (bars: Bar[], quarantined: QuarantineEntry[], errors: number) => {
      for (const bar of bars) symbols.add(bar.symbol);
      if (bars.length > 0) interval = bars[0].interval;
      accepted += bars.length;
      if (!options.strict || errors === 0) {
        stored += await store.upsert(bars, tx);
        await storeQuarantined(tx, quarantined, clock.now());
      }
    };
    let errors = 0;
    for await (const staged of staging.batches()) {
      rowsRead += staged.itemsRead;
      chars += staged.charsRead;
      problems = staged.problems;
      errors = staged.errors;
      await write(staged.bars, staged.quarantined, errors);
      if (!staged.final) report(false);
    }
    if (options.strict && errors > 0) throw new StrictImportError(path, staging.report());
    const now = clock.now();
    await registerSymbols(
      tx,
      [...symbols].map((symbol) => ({ symbol, assetClass: options.assetClass ?? inferAssetClass(symbol) })),
      now,
    );
  });
  report(true);
  const result = staging.report();
  const info: FileReadInfo | undefined = staging.info();
  return {
    file: path,
    source: staging.name,
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

/** Where the file is read and checked: on a worker thread for large files when one can be started, else here. */
async function chooseStaging(path: string, options: ImportFileOptions, size: number): Promise<FileStaging> {
  const worker = options.worker ?? 'auto';
  if (worker === false || (worker === 'auto' && size < WORKER_MIN_FILE_BYTES)) {
    return stageFile(path, options, options.signal);
  }
  let script: string;
  try {
    script = await importWorkerScript();
  } catch (error) {
    // No checkout and no prebuilt worker (a bundle copied without its workers/): the same import on this thread.
    if (worker === true) throw error;
    return stageFile(path, options, options.signal);
  }
  // What the worker needs is plain data; the clock and the signal stay on this thread.
  const { assetClass: _assetClass, worker: _worker, clock: _clock, signal, ...staging } = options;
  return stageFileOnWorker(script, path, staging satisfies FileStagingOptions, signal);
}
