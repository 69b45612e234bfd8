import { ValidationError } from '@rrr/core';

/** Where a page of bars ended: the series it belongs to and the open time of its last bar. */
export interface BarsCursor {
  symbol: string;
  interval: string;
  afterTs: number;
}

const FIELD = 'querystring.cursor';

/** Opaque to clients (base64url of JSON): they pass it back as `?cursor=` and never build one. */
export function encodeBarsCursor(cursor: BarsCursor): string {
  return Buffer.from(JSON.stringify([cursor.symbol, cursor.interval, cursor.afterTs])).toString('base64url');
}

/**
 * Reads a cursor this server issued for the same series; a cursor that does not decode, or that was issued for
 * another symbol or interval (it would silently skip or repeat bars), is a ValidationError naming the field.
 */
export function decodeBarsCursor(text: string, expected: { symbol: string; interval: string }): BarsCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    typeof decoded[0] !== 'string' ||
    typeof decoded[1] !== 'string' ||
    !Number.isSafeInteger(decoded[2])
  ) {
    throw new ValidationError('invalid request', [
      { field: FIELD, message: 'is not a cursor this server issued: pass back nextCursor unchanged', value: text },
    ]);
  }
  const [symbol, interval, afterTs] = decoded as [string, string, number];
  if (symbol !== expected.symbol || interval !== expected.interval) {
    throw new ValidationError('invalid request', [
      {
        field: FIELD,
        message: `was issued for ${symbol} ${interval}, not ${expected.symbol} ${expected.interval}`,
        value: text,
      },
    ]);
  }
  return { symbol, interval, afterTs };
}
