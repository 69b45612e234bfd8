import type { Interval } from '@rrr/core';
import { createFileSource, type FileReadInfo, type FileSourceOptions } from '../sources/file-source';
import { BarQualityChecker } from '../validation/bar-quality-checker';
import type { QualityReport } from '../validation/quality-report';
import type { QualityThresholds } from '../validation/quality-thresholds';
import type { ErrorPolicy, ValidationPolicy } from '../validation/validation-policy';
import { IngestStage, type StagedBatch } from './ingest-stage';

/** How a file is read and checked: plain data, so it can be handed to a worker thread as it is. */
export interface FileStagingOptions extends FileSourceOptions {
  /** Any bad row fails the whole import and nothing is written. Default false: good rows are stored. */
  strict?: boolean;
  /** What happens to bad rows when not strict. Default `reject`. */
  policy?: ErrorPolicy | Partial<ValidationPolicy>;
  thresholds?: Partial<QualityThresholds>;
  /** Trade files: the interval of the bars built from them. Default 1m. */
  barInterval?: Interval;
  /** Problems listed in the result (more are counted). Default 10,000. */
  maxProblems?: number;
}

/** One checked batch of a file, with the checker's running counts once it was checked (for progress and strict). */
export interface StagedFileBatch extends StagedBatch {
  problems: number;
  errors: number;
  /** The end of the file: what the trade aggregator still held (no more rows were read). */
  final: boolean;
}

/** A file being read and checked batch by batch; `report()` and `info()` are complete once `batches()` has ended. */
export interface FileStaging {
  /** The source's name in problems. */
  readonly name: string;
  batches(): AsyncIterable<StagedFileBatch>;
  report(): QualityReport;
  info(): FileReadInfo | undefined;
}

/** The file source, quality checker and ingest stage of one file: throws a ValidationError on bad options. */
export function createFileStage(path: string, options: FileStagingOptions) {
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
  return { source, name, checker, stage };
}

/** Reads and checks a file on the calling thread. */
export function stageFile(path: string, options: FileStagingOptions, signal?: AbortSignal): FileStaging {
  const { source, name, checker, stage } = createFileStage(path, options);
  const counted = (staged: StagedBatch, final: boolean): StagedFileBatch => ({
    ...staged,
    problems: checker.problemCount,
    errors: checker.errorCount,
    final,
  });
  return {
    name,
    async *batches() {
      for await (const batch of source.batches({ signal })) yield counted(stage.process(batch), false);
      yield counted(stage.finish(), true);
    },
    report: () => checker.result(),
    info: () => source.info,
  };
}
