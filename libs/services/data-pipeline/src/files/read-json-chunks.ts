import { errorMessage } from '@rrr/core';
import { DataFileError } from './data-file-error';
import { readTextChunks, type ReadTextOptions } from './read-text-chunks';

/** `array`: one JSON array of records; `ndjson`: one JSON record per line (JSON Lines). */
export type JsonLayout = 'array' | 'ndjson';

export interface JsonReadOptions extends ReadTextOptions {
  /** Detected from the first character (`[` or `{`) when omitted. */
  layout?: JsonLayout;
  /** Most records per yielded chunk. Default 10,000. */
  maxRows?: number;
}

export interface JsonBadRecord {
  line: number;
  raw: string;
  reason: string;
}

/** Consecutive records (objects, or arrays for positional layouts) with the line each starts on and its text. */
export interface JsonChunk {
  layout: JsonLayout;
  records: unknown[];
  lines: number[];
  raws: string[];
  bad: JsonBadRecord[];
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** Reads a JSON array or NDJSON file as chunks of records; bad records are reported with their line, not dropped. */
export async function* readJsonChunks(path: string, options: JsonReadOptions): AsyncGenerator<JsonChunk> {
  const { displayName, maxRows = 10_000 } = options;
  const chunks = readTextChunks(path, options);
  const first = await chunks.next();
  if (first.done === true) throw new DataFileError(displayName, 'is empty (0 bytes)');
  const start = first.value.search(/\S/);
  let layout = options.layout;
  if (layout === undefined) {
    const c = start < 0 ? '' : first.value[start];
    if (c === '[') layout = 'array';
    else if (c === '{') layout = 'ndjson';
    else if (start < 0) throw new DataFileError(displayName, 'is empty (only whitespace)');
    else
      throw new DataFileError(
        displayName,
        `does not start with [ or { (found ${JSON.stringify(c)}): it is not JSON`,
        1,
      );
  }
  async function* all(): AsyncGenerator<string> {
    yield first.value as string;
    yield* chunks;
  }
  if (layout === 'array') yield* readArray(all(), displayName, maxRows);
  else yield* readLines(all(), displayName, maxRows);
}

function newChunk(layout: JsonLayout): JsonChunk {
  return { layout, records: [], lines: [], raws: [], bad: [] };
}

function addRecord(chunk: JsonChunk, raw: string, line: number): void {
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch (err) {
    chunk.bad.push({ line, raw, reason: `not valid JSON (${errorMessage(err)})` });
    return;
  }
  if (typeof record !== 'object' || record === null) {
    chunk.bad.push({ line, raw, reason: `expected an object (or an array of values), got ${JSON.stringify(record)}` });
    return;
  }
  chunk.records.push(record);
  chunk.lines.push(line);
  chunk.raws.push(raw);
}

async function* readLines(
  text: AsyncIterable<string>,
  displayName: string,
  maxRows: number,
): AsyncGenerator<JsonChunk> {
  let carry = '';
  let line = 1;
  let chunk = newChunk('ndjson');
  let records = 0;
  const ready: JsonChunk[] = [];
  const consumeLine = (raw: string): void => {
    const trimmed = raw.trim();
    if (trimmed !== '') {
      if (line === 1 && trimmed === '{') {
        throw new DataFileError(
          displayName,
          'is a single pretty-printed JSON object: expected an array of records or NDJSON (one record per line)',
          1,
        );
      }
      addRecord(chunk, trimmed, line);
      records++;
      if (chunk.records.length + chunk.bad.length >= maxRows) {
        ready.push(chunk);
        chunk = newChunk('ndjson');
      }
    }
    line++;
  };
  for await (const piece of text) {
    const all = carry + piece;
    let pos = 0;
    for (let nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', pos)) {
      consumeLine(all.slice(pos, nl));
      pos = nl + 1;
    }
    carry = all.slice(pos);
    yield* ready.splice(0);
  }
  if (carry.trim() !== '') {
    // The last line has no line break: if it does not parse either, the file was cut off while being written.
    try {
      JSON.parse(carry);
    } catch {
      throw new DataFileError(
        displayName,
        'the last record is cut off (no closing brace): the file looks truncated',
        line,
      );
    }
    consumeLine(carry);
  }
  if (records === 0) throw new DataFileError(displayName, 'contains no records');
  yield* ready.splice(0);
  if (chunk.records.length + chunk.bad.length > 0) yield chunk;
}

async function* readArray(
  text: AsyncIterable<string>,
  displayName: string,
  maxRows: number,
): AsyncGenerator<JsonChunk> {
  // An array is one value: it is scanned once read whole, element by element, so each record keeps its line.
  let all = '';
  for await (const piece of text) all += piece;
  const n = all.length;
  const open = all.search(/\S/);
  if (open < 0 || all[open] !== '[') {
    throw new DataFileError(displayName, 'does not start with "[": it is not a JSON array of records', 1);
  }
  let i = open + 1;
  let line = 1;
  for (let k = all.indexOf('\n'); k >= 0 && k < i; k = all.indexOf('\n', k + 1)) line++;
  let chunk = newChunk('array');
  let records = 0;
  for (;;) {
    while (i < n && (isWhitespace(all.charCodeAt(i)) || all[i] === ',')) {
      if (all.charCodeAt(i) === 10) line++;
      i++;
    }
    if (i >= n) {
      throw new DataFileError(displayName, 'the JSON array is never closed (no "]"): the file looks truncated', line);
    }
    if (all[i] === ']') break;
    const startLine = line;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = all.charCodeAt(i);
      if (c === 10) line++;
      if (inString) {
        if (c === 92) i++;
        else if (c === 34) inString = false;
        continue;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (c === 44 && depth === 0) break;
    }
    if (depth > 0 || inString) {
      throw new DataFileError(displayName, 'the record starting here is cut off: the file looks truncated', startLine);
    }
    addRecord(chunk, all.slice(start, i).trim(), startLine);
    records++;
    if (chunk.records.length + chunk.bad.length >= maxRows) {
      yield chunk;
      chunk = newChunk('array');
    }
  }
  if (records === 0) throw new DataFileError(displayName, 'is an empty JSON array: no records', line);
  if (chunk.records.length + chunk.bad.length > 0) yield chunk;
}
