import { DataFileError } from './data-file-error';
import { readTextChunks, type ReadTextOptions } from './read-text-chunks';

export interface CsvReadOptions extends ReadTextOptions {
  /** Field separator; detected from the header line (`,` `;` tab `|`) when omitted. */
  delimiter?: string;
  /** Most rows per yielded chunk. Default 10,000. */
  maxRows?: number;
  /**
   * Leave unquoted rows unsplit: their `rows` entry is undefined and `raws` holds the line, for a caller that reads
   * fields in place (the file source's fast path). Their field count is still checked.
   */
  lazyFields?: boolean;
}

/** A row whose shape is wrong (field count): reported by line, never guessed at. */
export interface CsvBadRow {
  line: number;
  raw: string;
  reason: string;
}

/**
 * Consecutive data rows of a CSV file: fields, line number and original text of each, plus the malformed rows.
 * With `lazyFields`, a row's fields may be undefined: split its `raws` entry by `delimiter` (it holds no quotes).
 */
export interface CsvChunk {
  header: readonly string[];
  delimiter: string;
  rows: (string[] | undefined)[];
  lines: number[];
  raws: string[];
  bad: CsvBadRow[];
}

interface ParsedRecord {
  fields: string[];
  /** Index just past the record's last field (before its line break). */
  end: number;
  /** Index where the next record starts. */
  next: number;
  /** Line breaks inside quoted fields. */
  innerNewlines: number;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
const DELIMITER_CANDIDATES = [',', ';', '\t', '|'];

function countOutsideQuotes(line: string, char: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === char && !quoted) n++;
  }
  return n;
}

function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of DELIMITER_CANDIDATES) {
    const count = countOutsideQuotes(headerLine, candidate);
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/**
 * One RFC 4180 record starting at `start`, quoted fields allowed to hold delimiters, doubled quotes and line breaks.
 * Undefined when the text ends before the record does and more text may follow (`atEof` false), or when a quoted
 * field is never closed (`atEof` true: the file is cut short).
 */
function parseRecord(text: string, start: number, delimiter: number, atEof: boolean): ParsedRecord | undefined {
  const fields: string[] = [];
  const n = text.length;
  let i = start;
  let innerNewlines = 0;
  for (;;) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      value = '';
      let segment = i + 1;
      let search = segment;
      for (;;) {
        const q = text.indexOf('"', search);
        if (q < 0) return undefined;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(segment, q + 1);
          segment = q + 2;
          search = segment;
          continue;
        }
        if (q + 1 >= n && !atEof) return undefined;
        value += text.slice(segment, q);
        i = q + 1;
        break;
      }
      for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) innerNewlines++;
      // Text after the closing quote (`"a"b`) is malformed but common; keep it rather than drop data.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === delimiter || c === LF || c === CR) break;
        j++;
      }
      value += text.slice(i, j);
      i = j;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === delimiter || c === LF || c === CR) break;
        j++;
      }
      value = text.slice(i, j);
      i = j;
    }
    fields.push(value);
    if (i >= n) return atEof ? { fields, end: n, next: n, innerNewlines } : undefined;
    const c = text.charCodeAt(i);
    if (c === delimiter) {
      i++;
      continue;
    }
    if (c === CR) {
      if (i + 1 >= n && !atEof) return undefined;
      return { fields, end: i, next: text.charCodeAt(i + 1) === LF ? i + 2 : i + 1, innerNewlines };
    }
    return { fields, end: i, next: i + 1, innerNewlines };
  }
}

function fieldCount(line: string, delimiter: string): number {
  let count = 1;
  for (let i = line.indexOf(delimiter); i >= 0; i = line.indexOf(delimiter, i + 1)) count++;
  return count;
}

function trimTrailingEmpty(fields: string[], width: number): string[] {
  let end = fields.length;
  while (end > width && fields[end - 1].trim() === '') end--;
  return end === fields.length ? fields : fields.slice(0, end);
}

/**
 * Reads a CSV file as chunks of rows with their line numbers. The first non-blank line is the header; blank lines
 * are skipped. A row with the wrong number of fields is returned in `bad` (the import reports it); a file that
 * ends in the middle of a row, with no data rows, or that is not text fails with a DataFileError naming the line.
 * Unquoted lines take a split() fast path; only lines holding a quote go through the RFC 4180 parser.
 */
export async function* readCsvChunks(path: string, options: CsvReadOptions): AsyncGenerator<CsvChunk> {
  const { displayName, maxRows = 10_000, lazyFields = false } = options;
  let delimiter = options.delimiter;
  let header: string[] | undefined;
  let headerLine = 0;
  let dataRows = 0;
  let carry = '';
  let line = 1;
  let chunk = newChunk();
  /** Chunks filled while consuming one piece of text, yielded once it is consumed. */
  const ready: CsvChunk[] = [];

  function newChunk(): CsvChunk {
    return { header: header ?? [], delimiter: delimiter ?? ',', rows: [], lines: [], raws: [], bad: [] };
  }

  function take(fields: string[], raw: string, atLine: number, atEof: boolean): void {
    addRow(fields, raw, atLine, atEof);
    // Rows and bad rows count together, so a file of nothing but bad rows still streams in bounded chunks.
    if (chunk.rows.length + chunk.bad.length >= maxRows) {
      ready.push(chunk);
      chunk = newChunk();
    }
  }

  function takeUnsplit(raw: string, atLine: number): void {
    dataRows++;
    chunk.rows.push(undefined);
    chunk.lines.push(atLine);
    chunk.raws.push(raw);
    if (chunk.rows.length + chunk.bad.length >= maxRows) {
      ready.push(chunk);
      chunk = newChunk();
    }
  }

  function addRow(fields: string[], raw: string, atLine: number, atEof: boolean): void {
    if (header === undefined) {
      header = fields.map((f) => f.trim());
      headerLine = atLine;
      chunk = newChunk();
      return;
    }
    if (fields.length < header.length && atEof) {
      throw new DataFileError(
        displayName,
        `the file ends in the middle of a row (${fields.length} of ${header.length} fields): it looks truncated`,
        atLine,
      );
    }
    dataRows++;
    const width = fields.length > header.length ? trimTrailingEmpty(fields, header.length) : fields;
    if (width.length !== header.length) {
      chunk.bad.push({
        line: atLine,
        raw,
        reason: `expected ${header.length} fields (${header.join(delimiter)}), got ${width.length}`,
      });
      return;
    }
    chunk.rows.push(width);
    chunk.lines.push(atLine);
    chunk.raws.push(raw);
  }

  /** Consumes the complete records in `text` from `pos`; returns where the unconsumed rest starts. */
  function consume(text: string, atEof: boolean): number {
    let pos = 0;
    const n = text.length;
    while (pos < n) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) {
        if (!atEof) break;
        nl = n;
      }
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === CR) end--;
      const lineText = text.slice(pos, end);
      if (delimiter === undefined) {
        if (lineText.trim() === '') {
          pos = nl + 1;
          line++;
          continue;
        }
        delimiter = detectDelimiter(lineText);
      }
      if (lineText.indexOf('"') < 0) {
        const blank = lineText.length === 0 || (lineText.charCodeAt(0) <= 32 && lineText.trim() === '');
        if (!blank) {
          if (lazyFields && header !== undefined && fieldCount(lineText, delimiter) === header.length) {
            takeUnsplit(lineText, line);
          } else {
            take(lineText.split(delimiter), lineText, line, atEof && nl === n);
          }
        }
        pos = nl + 1;
        line++;
        continue;
      }
      const record = parseRecord(text, pos, delimiter.charCodeAt(0), atEof);
      if (record === undefined) {
        if (!atEof) break;
        throw new DataFileError(
          displayName,
          'a quoted field is never closed: the file looks truncated (or a quote is unbalanced)',
          line,
        );
      }
      take(record.fields, text.slice(pos, record.end), line, atEof && record.next >= n);
      line += 1 + record.innerNewlines;
      pos = record.next;
    }
    return pos;
  }

  for await (const piece of readTextChunks(path, options)) {
    const text = carry.length > 0 ? carry + piece : piece;
    carry = text.slice(consume(text, false));
    yield* ready.splice(0);
    if (chunk.rows.length + chunk.bad.length > 0) {
      yield chunk;
      chunk = newChunk();
    }
  }
  if (carry.length > 0) consume(carry, true);
  if (header === undefined) throw new DataFileError(displayName, 'is empty: no header and no rows');
  if (dataRows === 0) {
    throw new DataFileError(displayName, `has a header (${header.join(delimiter)}) but no data rows`, headerLine);
  }
  yield* ready.splice(0);
  if (chunk.rows.length + chunk.bad.length > 0) yield chunk;
}
