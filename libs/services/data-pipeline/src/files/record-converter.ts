import type { Bar, Interval, OrderSide, Trade } from '@rrr/core';
import type { RecordField } from './column-mapping';
import {
  describeDateFormat,
  parseDecimal,
  type ConcreteDateFormat,
  type RangeTimestampParser,
  type TimestampParser,
} from './timestamp-parser';

/** Where each field sits in a record: a position (CSV rows, array records) or a key (JSON objects). */
export type FieldKeys = Partial<Record<RecordField, string | number>>;

export interface RecordConverterOptions {
  keys: FieldKeys;
  parseTs: TimestampParser;
  dateFormat: ConcreteDateFormat;
  /** The symbol of every record when the file has no symbol column. */
  symbol?: string;
}

/** A record turned into an item, or the reason it cannot be. */
export type Converted<T> = T | string;

type AnyRecord = Readonly<Record<string | number, unknown>>;

/** A number from a CSV string or a JSON value; NaN when missing or not numeric (`Number('')` would say 0). */
export function readNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.length === 0) return Number.NaN;
  const n = +value;
  if (n === 0 && value.trim() === '') return Number.NaN;
  return n;
}

function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'missing';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function readSymbol(
  record: AnyRecord,
  key: string | number | undefined,
  fixed: string | undefined,
): string | undefined {
  if (key === undefined) return fixed;
  const value = record[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Builds bars from records. The clean path reads six numbers and allocates one object; only a bad record pays for
 * composing the reason, which names every field that could not be read.
 */
export function createBarConverter(
  options: RecordConverterOptions & { interval: Interval },
): (record: AnyRecord) => Converted<Bar> {
  const { keys, parseTs, interval } = options;
  const kTs = keys.ts as string | number;
  const kOpen = keys.open as string | number;
  const kHigh = keys.high as string | number;
  const kLow = keys.low as string | number;
  const kClose = keys.close as string | number;
  const kVolume = keys.volume as string | number;
  const kVwap = keys.vwap;
  const kTrades = keys.trades;
  const dateText = describeDateFormat(options.dateFormat);

  return (record) => {
    const ts = parseTs(record[kTs]);
    const open = readNumber(record[kOpen]);
    const high = readNumber(record[kHigh]);
    const low = readNumber(record[kLow]);
    const close = readNumber(record[kClose]);
    const volume = readNumber(record[kVolume]);
    const symbol = readSymbol(record, keys.symbol, options.symbol);
    const vwapRaw = kVwap === undefined ? undefined : record[kVwap];
    const tradesRaw = kTrades === undefined ? undefined : record[kTrades];
    const vwap = vwapRaw === undefined || vwapRaw === '' || vwapRaw === null ? undefined : readNumber(vwapRaw);
    const trades =
      tradesRaw === undefined || tradesRaw === '' || tradesRaw === null ? undefined : readNumber(tradesRaw);
    if (
      ts === ts &&
      open === open &&
      high === high &&
      low === low &&
      close === close &&
      volume === volume &&
      symbol !== undefined &&
      (vwap === undefined || vwap === vwap) &&
      (trades === undefined || trades === trades)
    ) {
      const bar: Bar = { symbol, interval, ts, open, high, low, close, volume };
      if (vwap !== undefined) bar.vwap = vwap;
      if (trades !== undefined) bar.trades = trades;
      return bar;
    }
    const reasons: string[] = [];
    if (Number.isNaN(ts)) reasons.push(`ts ${shown(record[kTs])} is not ${dateText}`);
    const numbers: [string, number, string | number | undefined][] = [
      ['open', open, kOpen],
      ['high', high, kHigh],
      ['low', low, kLow],
      ['close', close, kClose],
      ['volume', volume, kVolume],
      ['vwap', vwap ?? 0, kVwap],
      ['trades', trades ?? 0, kTrades],
    ];
    for (const [field, value, key] of numbers) {
      if (Number.isNaN(value) && key !== undefined) reasons.push(`${field} ${shown(record[key])} is not a number`);
    }
    if (symbol === undefined)
      reasons.push(`symbol is ${shown(keys.symbol === undefined ? undefined : record[keys.symbol])}`);
    return reasons.join('; ');
  };
}

function readSide(value: unknown): OrderSide | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return null;
  const side = value.trim().toLowerCase();
  if (side === 'buy' || side === 'b' || side === 'bid') return 'buy';
  if (side === 'sell' || side === 's' || side === 'ask') return 'sell';
  return null;
}

/** Builds trades from records; side accepts buy/sell/b/s/bid/ask in any case, and id any non-empty text or number. */
export function createTradeConverter(options: RecordConverterOptions): (record: AnyRecord) => Converted<Trade> {
  const { keys, parseTs } = options;
  const kTs = keys.ts as string | number;
  const kPrice = keys.price as string | number;
  const kQuantity = keys.quantity as string | number;
  const dateText = describeDateFormat(options.dateFormat);

  return (record) => {
    const ts = parseTs(record[kTs]);
    const price = readNumber(record[kPrice]);
    const quantity = readNumber(record[kQuantity]);
    const symbol = readSymbol(record, keys.symbol, options.symbol);
    const side = keys.side === undefined ? undefined : readSide(record[keys.side]);
    const idRaw = keys.id === undefined ? undefined : record[keys.id];
    const id =
      typeof idRaw === 'number'
        ? String(idRaw)
        : typeof idRaw === 'string' && idRaw.trim() !== ''
          ? idRaw.trim()
          : undefined;
    if (ts === ts && price === price && quantity === quantity && symbol !== undefined && side !== null) {
      const trade: Trade = { symbol, ts, price, quantity };
      if (side !== undefined) trade.side = side;
      if (id !== undefined) trade.id = id;
      return trade;
    }
    const reasons: string[] = [];
    if (Number.isNaN(ts)) reasons.push(`ts ${shown(record[kTs])} is not ${dateText}`);
    if (Number.isNaN(price)) reasons.push(`price ${shown(record[kPrice])} is not a number`);
    if (Number.isNaN(quantity)) reasons.push(`quantity ${shown(record[kQuantity])} is not a number`);
    if (symbol === undefined)
      reasons.push(`symbol is ${shown(keys.symbol === undefined ? undefined : record[keys.symbol])}`);
    if (side === null && keys.side !== undefined) reasons.push(`side ${shown(record[keys.side])} is not buy or sell`);
    return reasons.join('; ');
  };
}

export interface BarLineConverterOptions {
  /** Field → position in the line. */
  indexes: Partial<Record<RecordField, number>>;
  delimiter: string;
  parseTs: RangeTimestampParser;
  symbol?: string;
  interval: Interval;
}

/**
 * Bars straight from an unquoted CSV line, reading each needed field in place (no split, no substrings for numbers
 * and ISO times). Returns undefined whenever anything is unusual — a missing or non-numeric field, an empty
 * symbol — and the caller then goes the general way (split + {@link createBarConverter}), which builds the same bar
 * or the reason it cannot. So this is purely a faster path to identical results.
 */
export function createBarLineConverter(options: BarLineConverterOptions): (line: string) => Bar | undefined {
  const { indexes, delimiter, parseTs, interval } = options;
  const iTs = indexes.ts as number;
  const iOpen = indexes.open as number;
  const iHigh = indexes.high as number;
  const iLow = indexes.low as number;
  const iClose = indexes.close as number;
  const iVolume = indexes.volume as number;
  const iVwap = indexes.vwap;
  const iTrades = indexes.trades;
  const iSymbol = indexes.symbol;
  const last = Math.max(...Object.values(indexes).filter((i): i is number => i !== undefined));
  const starts = new Int32Array(last + 1);
  const ends = new Int32Array(last + 1);

  const number = (line: string, field: number): number => {
    const start = starts[field];
    const end = ends[field];
    const fast = parseDecimal(line, start, end);
    return fast === fast ? fast : readNumber(line.slice(start, end));
  };

  return (line) => {
    let start = 0;
    for (let field = 0; field <= last; field++) {
      const next = line.indexOf(delimiter, start);
      starts[field] = start;
      if (next < 0) {
        ends[field] = line.length;
        if (field < last) return undefined;
        break;
      }
      ends[field] = next;
      start = next + 1;
    }
    const ts = parseTs(line, starts[iTs], ends[iTs]);
    const open = number(line, iOpen);
    const high = number(line, iHigh);
    const low = number(line, iLow);
    const close = number(line, iClose);
    const volume = number(line, iVolume);
    if (ts !== ts || open !== open || high !== high || low !== low || close !== close || volume !== volume)
      return undefined;
    let symbol = options.symbol;
    if (iSymbol !== undefined) {
      symbol = line.slice(starts[iSymbol], ends[iSymbol]).trim();
      if (symbol === '') return undefined;
    }
    const bar: Bar = { symbol: symbol as string, interval, ts, open, high, low, close, volume };
    if (iVwap !== undefined && ends[iVwap] > starts[iVwap]) {
      const vwap = number(line, iVwap);
      if (vwap !== vwap) return undefined;
      bar.vwap = vwap;
    }
    if (iTrades !== undefined && ends[iTrades] > starts[iTrades]) {
      const trades = number(line, iTrades);
      if (trades !== trades) return undefined;
      bar.trades = trades;
    }
    return bar;
  };
}
