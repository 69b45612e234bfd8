import {
  INTERVAL_MS,
  ValidationError,
  isInterval,
  isValidSymbol,
  systemClock,
  type Bar,
  type Clock,
  type Database,
  type FieldProblem,
  type Interval,
  type Trade,
} from '@rrr/core';
import { IngestStage, type StagedBatch } from '../ingest/ingest-stage';
import type { DataSource } from '../sources/data-source';
import { BarStore } from '../storage/bar-store';
import { deleteCheckpoint, readCheckpoint, writeCheckpoint, type BackfillCursor } from '../storage/checkpoint-store';
import { storeQuarantined } from '../storage/quarantine-store';
import { inferAssetClass, registerSymbols, type AssetClass } from '../storage/symbol-registry';
import { BarQualityChecker } from '../validation/bar-quality-checker';
import type { QualityReport } from '../validation/quality-report';
import type { QualityThresholds } from '../validation/quality-thresholds';
import type { ErrorPolicy, ValidationPolicy } from '../validation/validation-policy';
import { backfillJobId } from './backfill-job-id';

export interface BackfillOptions {
  source: DataSource<Bar> | DataSource<Trade>;
  /** The series the job fills. Default: the source's own symbol / interval. Items of other series are skipped. */
  symbol?: string;
  /** For trade sources, the interval bars are built at. */
  interval?: Interval;
  /** Range [from, to) in epoch ms; default: the whole source. Part of the job's identity. */
  from?: number;
  to?: number;
  policy?: ErrorPolicy | Partial<ValidationPolicy>;
  thresholds?: Partial<QualityThresholds>;
  /** Drop the job's checkpoint and start over (rows already stored are upserted again). */
  restart?: boolean;
  assetClass?: AssetClass;
  clock?: Clock;
  signal?: AbortSignal;
  /** Called after each committed batch (after its checkpoint): for logs, progress bars, and tests that kill the job. */
  onBatchCommitted?: (progress: BackfillProgress) => void | Promise<void>;
}

export interface BackfillProgress {
  jobId: string;
  /** Batches committed by this run. */
  batches: number;
  /** Bars written by this run. */
  barsStored: number;
  /** Bars written by the job over all its runs (resumed ones included). */
  rowsWritten: number;
  /** Open time of the newest stored bar: where a rerun resumes. */
  cursor?: number;
  /** Share of the range done (0…1) when the range is known. */
  fraction?: number;
  problems: number;
  done: boolean;
}

export interface BackfillResult {
  jobId: string;
  /** `already-complete`: a previous run finished the job; nothing was read. */
  status: 'completed' | 'already-complete';
  /** The cursor this run resumed after (absent on a fresh start). */
  resumedAfter?: number;
  barsStored: number;
  rowsWritten: number;
  /** Source items that belonged to another series than the job's. */
  otherSeriesSkipped: number;
  report?: QualityReport;
  durationMs: number;
}

interface Job {
  id: string;
  symbol: string;
  interval: Interval;
  from?: number;
  to?: number;
}

function resolveJob(options: BackfillOptions): Job {
  const description = options.source.describe();
  const symbol = options.symbol ?? description.symbol;
  const interval = options.interval ?? description.interval ?? (options.source.kind === 'trades' ? '1m' : undefined);
  const from = options.from ?? description.from;
  const to = options.to ?? description.to;
  const problems: FieldProblem[] = [];
  if (symbol === undefined || !isValidSymbol(symbol)) {
    problems.push({ field: 'symbol', message: 'must name the series to backfill (a valid symbol)', value: symbol });
  }
  if (interval === undefined || !isInterval(interval)) {
    problems.push({ field: 'interval', message: 'must name the interval to backfill', value: interval });
  }
  if (from !== undefined && !Number.isSafeInteger(from))
    problems.push({ field: 'from', message: 'must be epoch ms', value: from });
  if (to !== undefined && !Number.isSafeInteger(to))
    problems.push({ field: 'to', message: 'must be epoch ms', value: to });
  if (from !== undefined && to !== undefined && to <= from)
    problems.push({ field: 'to', message: 'must be after from', value: to });
  if (problems.length > 0) throw new ValidationError('backfill', problems);
  return {
    id: backfillJobId(description, symbol as string, interval as Interval, from, to),
    symbol: symbol as string,
    interval: interval as Interval,
    from,
    to,
  };
}

/**
 * Fills one series (symbol + interval) from a source over a range, batch by batch. Each batch's bars, quarantined
 * rows and the job's checkpoint (cursor = newest stored bar) commit in ONE transaction, so a job killed at any point
 * has stored exactly the batches its checkpoint describes. Run again, it reads the source from just after the
 * cursor, with the quality checks primed from the bars already stored, and ends with exactly the rows an
 * uninterrupted run stores. A finished job returns `already-complete` at once.
 */
export async function runBackfill(
  db: Database,
  options: BackfillOptions,
  onProgress?: (progress: BackfillProgress) => void,
): Promise<BackfillResult> {
  const started = Date.now();
  const clock = options.clock ?? systemClock;
  const job = resolveJob(options);
  const store = new BarStore(db);
  if (options.restart) await deleteCheckpoint(db, job.id);
  const checkpoint = await readCheckpoint(db, job.id);
  if (checkpoint?.cursor.complete) {
    const progress = {
      jobId: job.id,
      batches: 0,
      barsStored: 0,
      rowsWritten: checkpoint.rowsWritten,
      problems: 0,
      done: true,
    };
    onProgress?.(
      checkpoint.cursor.lastTs === undefined
        ? progress
        : { ...progress, cursor: checkpoint.cursor.lastTs, fraction: 1 },
    );
    return {
      jobId: job.id,
      status: 'already-complete',
      barsStored: 0,
      rowsWritten: checkpoint.rowsWritten,
      otherSeriesSkipped: 0,
      durationMs: Date.now() - started,
    };
  }

  const name = options.source.describe().name;
  const checker = new BarQualityChecker({ source: name, policy: options.policy, thresholds: options.thresholds });
  const stage = new IngestStage({
    kind: options.source.kind,
    checker,
    interval: job.interval,
    only: { symbol: job.symbol, interval: job.interval },
  });
  const resumedAfter = checkpoint?.cursor.lastTs;
  let readFrom = job.from;
  if (resumedAfter !== undefined) {
    // Prime the order and rolling-window checks with what the interrupted run had accepted.
    const window = Math.max(checker.thresholds.returnWindow, checker.thresholds.volumeWindow) + 1;
    checker.seed(
      await store.latest({
        symbol: job.symbol,
        interval: job.interval,
        from: job.from,
        to: resumedAfter + 1,
        n: window,
      }),
    );
    // A trade source resumes at the next bar's window: trades of the stored bar's window are all in it already.
    readFrom = resumedAfter + (options.source.kind === 'trades' ? INTERVAL_MS[job.interval] : 1);
  }

  let cursor: BackfillCursor = { complete: false, ...(resumedAfter === undefined ? {} : { lastTs: resumedAfter }) };
  let rowsWritten = checkpoint?.rowsWritten ?? 0;
  let barsStored = 0;
  let batches = 0;
  let registered = false;

  const commit = async (staged: StagedBatch, complete: boolean): Promise<void> => {
    const newest = staged.bars.length > 0 ? staged.bars[staged.bars.length - 1].ts : undefined;
    const next: BackfillCursor = { complete, ...(cursor.lastTs === undefined ? {} : { lastTs: cursor.lastTs }) };
    if (newest !== undefined && (next.lastTs === undefined || newest > next.lastTs)) next.lastTs = newest;
    let written = 0;
    await db.transaction(async (tx) => {
      written = await store.upsert(staged.bars, tx);
      await storeQuarantined(tx, staged.quarantined, clock.now());
      if (!registered && staged.bars.length > 0) {
        await registerSymbols(
          tx,
          [{ symbol: job.symbol, assetClass: options.assetClass ?? inferAssetClass(job.symbol) }],
          clock.now(),
        );
      }
      await writeCheckpoint(tx, {
        jobId: job.id,
        cursor: next,
        rowsWritten: rowsWritten + written,
        updatedAt: clock.now(),
      });
    });
    if (staged.bars.length > 0) registered = true;
    cursor = next;
    rowsWritten += written;
    barsStored += written;
    batches++;
    const progress: BackfillProgress = {
      jobId: job.id,
      batches,
      barsStored,
      rowsWritten,
      problems: checker.problemCount,
      done: complete,
    };
    if (cursor.lastTs !== undefined) progress.cursor = cursor.lastTs;
    if (complete) progress.fraction = 1;
    else if (job.from !== undefined && job.to !== undefined && cursor.lastTs !== undefined) {
      progress.fraction = Math.min(1, (cursor.lastTs + INTERVAL_MS[job.interval] - job.from) / (job.to - job.from));
    }
    onProgress?.(progress);
    await options.onBatchCommitted?.(progress);
  };

  const source = options.source as DataSource<Bar | Trade>;
  for await (const batch of source.batches({ from: readFrom, to: job.to, signal: options.signal })) {
    await commit(stage.process(batch), false);
  }
  await commit(stage.finish(), true);

  return {
    jobId: job.id,
    status: 'completed',
    ...(resumedAfter === undefined ? {} : { resumedAfter }),
    barsStored,
    rowsWritten,
    otherSeriesSkipped: stage.otherSeries,
    report: checker.result(),
    durationMs: Date.now() - started,
  };
}
