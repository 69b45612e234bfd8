import { open, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  INTERVALS,
  INTERVAL_MS,
  ValidationError,
  isInterval,
  isValidSymbol,
  SYMBOL_EXPECTATION,
  type Bar,
  type FieldProblem,
  type Interval,
  type Trade,
} from '@rrr/core';
import { resolveColumns, type ColumnMapping, type RecordKind, type ResolvedColumns } from '../files/column-mapping';
import { DataFileError } from '../files/data-file-error';
import { readCsvChunks } from '../files/read-csv-chunks';
import { readJsonChunks, type JsonLayout } from '../files/read-json-chunks';
import type { TextEncodingName } from '../files/read-text-chunks';
import {
  createBarConverter,
  createBarLineConverter,
  createTradeConverter,
  type Converted,
  type FieldKeys,
} from '../files/record-converter';
import {
  DATE_FORMATS,
  createRangeTimestampParser,
  createTimestampParser,
  detectDateFormat,
  type ConcreteDateFormat,
  type DateFormat,
} from '../files/timestamp-parser';
import {
  defineSource,
  inWindow,
  type DataSource,
  type SourceBatch,
  type SourceReadOptions,
  type SourceReject,
} from './data-source';

export type FileFormat = 'csv' | 'json' | 'ndjson';

export interface FileSourceOptions {
  /** What the rows are. Default `bars`. */
  kind?: RecordKind;
  /** The symbol of every row; required unless the file has a symbol column. */
  symbol?: string;
  /** Bars only: the bars' interval, or `auto` (default) to infer it from the spacing of the first rows. */
  interval?: Interval | 'auto';
  /** Default: from the extension (.csv .tsv .txt → csv, .json → json, .ndjson .jsonl → ndjson), else sniffed. */
  format?: FileFormat;
  /** Field → column, for headers the auto-detection does not recognise. */
  mapping?: ColumnMapping;
  /** Default `auto`. */
  dateFormat?: DateFormat;
  /** Zone of zone-less date-times: UTC (default), `+05:30`, or an IANA name such as `America/New_York`. */
  timezone?: string;
  /** CSV separator; detected from the header when omitted. */
  delimiter?: string;
  /** Default utf8. */
  encoding?: TextEncodingName;
  /** Rows per batch. Default 10,000. */
  batchSize?: number;
  /** The source's name in problems and logs. Default `file:<path as given>`. */
  name?: string;
}

/** What a read found out about the file: reported by imports. */
export interface FileReadInfo {
  format: FileFormat | JsonLayout;
  columns: ResolvedColumns['columns'];
  ignoredColumns: string[];
  dateFormat: ConcreteDateFormat;
  interval?: Interval;
}

export interface FileSource<T extends Bar | Trade> extends DataSource<T> {
  readonly path: string;
  /** Filled in once a read has passed the header; undefined before. */
  readonly info: FileReadInfo | undefined;
}

const EXTENSIONS: Readonly<Record<string, FileFormat>> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

interface BadRow {
  line: number;
  raw: string;
  reason: string;
}

/** Rows sampled to detect the date format and the interval. */
const SAMPLE_ROWS = 500;

function checkOptions(options: FileSourceOptions): void {
  const problems: FieldProblem[] = [];
  if (options.symbol !== undefined && !isValidSymbol(options.symbol)) {
    problems.push({ field: 'symbol', message: SYMBOL_EXPECTATION, value: options.symbol });
  }
  if (options.interval !== undefined && options.interval !== 'auto' && !isInterval(options.interval)) {
    problems.push({
      field: 'interval',
      message: `must be auto or one of ${INTERVALS.join(', ')}`,
      value: options.interval,
    });
  }
  if (options.dateFormat !== undefined && !(DATE_FORMATS as readonly string[]).includes(options.dateFormat)) {
    problems.push({
      field: 'dateFormat',
      message: `must be one of ${DATE_FORMATS.join(', ')}`,
      value: options.dateFormat,
    });
  }
  if (options.format !== undefined && !['csv', 'json', 'ndjson'].includes(options.format)) {
    problems.push({ field: 'format', message: 'must be csv, json or ndjson', value: options.format });
  }
  if (options.delimiter !== undefined && options.delimiter.length !== 1) {
    problems.push({ field: 'delimiter', message: 'must be a single character', value: options.delimiter });
  }
  if (options.batchSize !== undefined && (!Number.isInteger(options.batchSize) || options.batchSize < 1)) {
    problems.push({ field: 'batchSize', message: 'must be an integer >= 1', value: options.batchSize });
  }
  if (problems.length > 0) throw new ValidationError('file source options', problems);
}

/** The interval whose length is the most common gap between consecutive sampled timestamps. */
function inferInterval(timestamps: number[], file: string): Interval {
  const sorted = [...new Set(timestamps.filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount) {
      best = gap;
      bestCount = count;
    }
  }
  const interval = INTERVALS.find((i) => INTERVAL_MS[i] === best);
  if (interval === undefined) {
    const seen = bestCount === 0 ? 'fewer than two readable timestamps' : `timestamps mostly ${best} ms apart`;
    throw new DataFileError(
      file,
      `cannot infer the bar interval (${seen}): pass the interval option (${INTERVALS.join(', ')})`,
    );
  }
  return interval;
}

async function sniffFormat(path: string, displayName: string): Promise<FileFormat> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataFileError(
      displayName,
      code === 'ENOENT' ? 'no such file' : `cannot be opened (${code ?? String(err)})`,
    );
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    const first = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()[0];
    return first === '[' ? 'json' : first === '{' ? 'ndjson' : 'csv';
  } finally {
    await handle.close();
  }
}

/**
 * Bars or trades from a user's CSV, JSON-array or NDJSON file, streamed in batches with each row's line number.
 * Columns are found by their usual names (see `resolveColumns`) unless mapped; the date format and the bar interval
 * are detected from the first rows unless given. Unreadable rows come back as rejects with their line and reason;
 * problems with the file as a whole (encoding, truncation, missing columns) throw a DataFileError.
 */
export function createFileSource(path: string, options?: FileSourceOptions & { kind?: 'bars' }): FileSource<Bar>;
export function createFileSource(path: string, options: FileSourceOptions & { kind: 'trades' }): FileSource<Trade>;
export function createFileSource(path: string, options: FileSourceOptions = {}): FileSource<Bar> | FileSource<Trade> {
  checkOptions(options);
  const kind = options.kind ?? 'bars';
  const displayName = path;
  const name = options.name ?? `file:${path}`;
  const absolute = resolve(path);
  let info: FileReadInfo | undefined;

  const describe = () => {
    let fingerprint = 'missing';
    try {
      const s = statSync(absolute);
      fingerprint = `${s.size}-${Math.trunc(s.mtimeMs)}`;
    } catch {
      // A missing file is reported by the read, with the file named; the description stays usable for logs.
    }
    const interval = options.interval !== undefined && options.interval !== 'auto' ? options.interval : info?.interval;
    return {
      id: `file:${absolute}#${fingerprint}`,
      name,
      kind,
      ...(options.symbol === undefined ? {} : { symbol: options.symbol }),
      ...(interval === undefined ? {} : { interval }),
      details: { path: absolute },
    };
  };

  async function* batches(read?: SourceReadOptions): AsyncGenerator<SourceBatch<Bar | Trade>> {
    await stat(absolute).catch((err: NodeJS.ErrnoException) => {
      throw new DataFileError(displayName, err.code === 'ENOENT' ? 'no such file' : `cannot be read (${err.code})`);
    });
    const format =
      options.format ?? EXTENSIONS[extname(path).toLowerCase()] ?? (await sniffFormat(absolute, displayName));
    const common = { displayName, encoding: options.encoding, maxRows: options.batchSize ?? 10_000 };
    let convert: ((record: Readonly<Record<string | number, unknown>>) => Converted<Bar | Trade>) | undefined;
    /** CSV bars: the in-place reader for unsplit lines (undefined for other files and for trades). */
    let convertLine: ((line: string) => Bar | undefined) | undefined;
    let delimiter = ',';

    const prepare = (
      header: readonly string[],
      sample: readonly unknown[][],
      positional: boolean,
      line: number,
      layout: FileReadInfo['format'],
    ) => {
      const resolved = resolveColumns(header, {
        kind,
        mapping: options.mapping,
        positional,
        symbolGiven: options.symbol !== undefined,
        file: displayName,
        line,
      });
      const keys: FieldKeys = {};
      for (const [field, column] of Object.entries(resolved.columns)) {
        keys[field as keyof FieldKeys] =
          positional || format === 'csv' ? resolved.indexes[field as keyof FieldKeys] : column;
      }
      const tsKey = keys.ts as string | number;
      const tsSamples = sample.map((record) => (record as unknown as Record<string | number, unknown>)[tsKey]);
      let dateFormat: ConcreteDateFormat | undefined = options.dateFormat === 'auto' ? undefined : options.dateFormat;
      dateFormat ??= detectDateFormat(tsSamples);
      if (dateFormat === undefined) {
        throw new DataFileError(
          displayName,
          `cannot tell the date format of column ${JSON.stringify(resolved.columns.ts)} (first value ${JSON.stringify(tsSamples[0])}): pass dateFormat (${DATE_FORMATS.join(', ')})`,
          line + 1,
        );
      }
      const parseTs = createTimestampParser(dateFormat, options.timezone);
      let interval: Interval | undefined;
      if (kind === 'bars') {
        interval =
          options.interval === undefined || options.interval === 'auto'
            ? inferInterval(tsSamples.map(parseTs), displayName)
            : options.interval;
      }
      const base = { keys, parseTs, dateFormat, symbol: options.symbol };
      convert =
        kind === 'bars' ? createBarConverter({ ...base, interval: interval as Interval }) : createTradeConverter(base);
      if (kind === 'bars' && format === 'csv') {
        convertLine = createBarLineConverter({
          indexes: resolved.indexes,
          delimiter,
          parseTs: createRangeTimestampParser(dateFormat, options.timezone),
          symbol: options.symbol,
          interval: interval as Interval,
        });
      }
      info = { format: layout, columns: resolved.columns, ignoredColumns: resolved.ignored, dateFormat, interval };
    };

    const toBatch = (records: readonly unknown[], lines: number[], raws: string[], bad: BadRow[]) => {
      const batch: SourceBatch<Bar | Trade> = { items: [], lines: [], raw: [], rejects: [] };
      const rejects = batch.rejects as SourceReject[];
      const items = batch.items;
      const outLines = batch.lines as number[];
      const outRaw = batch.raw as string[];
      const conv = convert as NonNullable<typeof convert>;
      for (let i = 0; i < records.length; i++) {
        const record = records[i] as Readonly<Record<string | number, unknown>> | undefined;
        // An unsplit CSV line: read in place, or split and go the general way when anything is unusual.
        const converted =
          record === undefined
            ? (convertLine?.(raws[i]) ?? conv(raws[i].split(delimiter) as unknown as Readonly<Record<number, unknown>>))
            : conv(record);
        if (typeof converted === 'string') {
          rejects.push({ reason: converted, line: lines[i], raw: raws[i] });
        } else if (inWindow(converted.ts, read)) {
          items.push(converted);
          outLines.push(lines[i]);
          outRaw.push(raws[i]);
        }
      }
      for (const b of bad) rejects.push({ reason: b.reason, line: b.line, raw: b.raw });
      return batch;
    };

    // CSV and JSON chunks in one shape: records, their lines and text, and the rows that could not be split.
    type Chunk = {
      records: unknown[];
      lines: number[];
      raws: string[];
      bad: BadRow[];
      header?: readonly string[];
      layout: FileReadInfo['format'];
    };
    async function* chunks(): AsyncGenerator<Chunk> {
      if (format === 'csv') {
        for await (const c of readCsvChunks(absolute, {
          ...common,
          delimiter: options.delimiter,
          lazyFields: kind === 'bars',
        })) {
          delimiter = c.delimiter;
          yield { records: c.rows, lines: c.lines, raws: c.raws, bad: c.bad, header: c.header, layout: 'csv' };
        }
      } else {
        const layout: JsonLayout | undefined = format === 'ndjson' ? 'ndjson' : undefined;
        for await (const c of readJsonChunks(absolute, { ...common, layout })) {
          yield { records: c.records, lines: c.lines, raws: c.raws, bad: c.bad, layout: c.layout };
        }
      }
    }

    // The date format and interval are judged from the first SAMPLE_ROWS records, however the file is chunked.
    const setUp = (buffered: Chunk[]) => {
      const first = buffered[0];
      const sample = buffered
        .flatMap((c) => c.records.map((record, i) => record ?? c.raws[i].split(delimiter)))
        .slice(0, SAMPLE_ROWS) as unknown[][];
      const firstLine = buffered.find((c) => c.lines.length > 0)?.lines[0] ?? 2;
      if (first.header !== undefined) {
        prepare(first.header, sample, false, Math.max(1, firstLine - 1), first.layout);
        return;
      }
      const positional = Array.isArray(sample[0]);
      const header = positional
        ? Array.from({ length: (sample[0] as unknown[]).length }, (_, i) => String(i))
        : [...new Set(sample.flatMap((r) => Object.keys(r as object)))];
      prepare(header, sample, positional, firstLine, first.layout);
    };

    let buffered: Chunk[] = [];
    let sampled = 0;
    for await (const chunk of chunks()) {
      read?.signal?.throwIfAborted();
      if (convert === undefined) {
        buffered.push(chunk);
        sampled += chunk.records.length;
        if (sampled < SAMPLE_ROWS) continue;
        setUp(buffered);
        for (const c of buffered) yield toBatch(c.records, c.lines, c.raws, c.bad);
        buffered = [];
        continue;
      }
      yield toBatch(chunk.records, chunk.lines, chunk.raws, chunk.bad);
    }
    if (buffered.length === 0) return;
    if (sampled > 0) {
      setUp(buffered);
      for (const c of buffered) yield toBatch(c.records, c.lines, c.raws, c.bad);
    } else {
      // Not one row could be split into records: there is nothing to learn the layout from, only rows to report.
      for (const c of buffered)
        yield { items: [], rejects: c.bad.map((b) => ({ reason: b.reason, line: b.line, raw: b.raw })) };
    }
  }

  const source = defineSource<Bar | Trade>(kind as 'bars', describe, batches as never);
  return Object.defineProperties(source, {
    path: { value: absolute, enumerable: true },
    info: { get: () => info, enumerable: true },
  }) as FileSource<Bar> | FileSource<Trade>;
}
