import type { DriverValue } from './sql-value-encoding';

const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPABLE = /[\\\n\r\t]/g;

/**
 * One field in PostgreSQL's COPY text format: NULL is `\N`; backslash, newline, carriage return and the tab
 * delimiter are backslash-escaped, so a string that merely reads "\N" stays a string.
 */
export function encodeCopyTextValue(value: DriverValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string')
    return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, (ch) => COPY_ESCAPES[ch]) : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  // bytea in hex form; its leading backslash is itself escaped for the text format.
  return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
}

/** One row as a COPY text line: tab-separated fields ending in a newline. */
export function encodeCopyTextRow(values: readonly DriverValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : '\t') + encodeCopyTextValue(values[i]);
  return `${line}\n`;
}
