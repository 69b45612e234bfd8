import { DataFileError } from './data-file-error';

export const BAR_FIELDS = ['ts', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trades', 'symbol'] as const;
export const TRADE_FIELDS = ['ts', 'price', 'quantity', 'side', 'id', 'symbol'] as const;
export type BarField = (typeof BAR_FIELDS)[number];
export type TradeField = (typeof TRADE_FIELDS)[number];
export type RecordField = BarField | TradeField;
export type RecordKind = 'bars' | 'trades';

/** Field → the column (CSV header, JSON key, or position "0", "1"… for array records) that holds it. */
export type ColumnMapping = Partial<Record<RecordField, string>>;

/** The columns a file's records are read from, and the columns nobody asked for. */
export interface ResolvedColumns {
  /** Field → column name as written in the file. */
  columns: Partial<Record<RecordField, string>>;
  /** Field → position of the column in the header. */
  indexes: Partial<Record<RecordField, number>>;
  /** Columns left unused (e.g. `adjclose`): listed in the import result, never an error. */
  ignored: string[];
}

/**
 * Header spellings recognised without a mapping, compared after lower-casing and dropping everything but letters
 * and digits (`Adj Close` → `adjclose`, `open_time` → `opentime`). Order matters: the first alias found wins.
 */
const ALIASES: Readonly<Record<RecordKind, Partial<Record<RecordField, readonly string[]>>>> = {
  bars: {
    ts: [
      'timestamp',
      'ts',
      'time',
      'date',
      'datetime',
      'opentime',
      'timeopen',
      'starttime',
      'periodstart',
      'timeperiodstart',
      'unix',
      'unixtime',
      'epoch',
      't',
    ],
    open: ['open', 'o', 'openprice', 'priceopen', 'opening'],
    high: ['high', 'h', 'highprice', 'pricehigh', 'max'],
    low: ['low', 'l', 'lowprice', 'pricelow', 'min'],
    close: ['close', 'c', 'closeprice', 'priceclose', 'closing', 'last'],
    volume: ['volume', 'vol', 'v', 'basevolume', 'volumebase', 'volumetraded'],
    vwap: ['vwap', 'vw', 'averageprice', 'avgprice', 'weightedaverage', 'weightedaverageprice'],
    trades: ['trades', 'tradecount', 'numtrades', 'numberoftrades', 'ntrades', 'transactions', 'count', 'n'],
    symbol: ['symbol', 'ticker', 'pair', 'instrument', 'sym', 'market'],
  },
  trades: {
    ts: ['timestamp', 'ts', 'time', 'date', 'datetime', 'tradetime', 'unix', 'epoch', 't'],
    price: ['price', 'p', 'tradeprice', 'px', 'rate'],
    quantity: ['quantity', 'qty', 'size', 'amount', 'volume', 'q', 'v'],
    side: ['side', 'takerside', 'aggressor', 'takerdirection'],
    id: ['id', 'tradeid', 'tid'],
    symbol: ['symbol', 'ticker', 'pair', 'instrument', 'sym', 'market'],
  },
};

const REQUIRED: Readonly<Record<RecordKind, readonly RecordField[]>> = {
  bars: ['ts', 'open', 'high', 'low', 'close', 'volume'],
  trades: ['ts', 'price', 'quantity'],
};

/** The layout of array records (`[ts, open, high, low, close, volume]`, as ccxt and most vendors write OHLCV). */
const POSITIONAL: Readonly<Record<RecordKind, readonly RecordField[]>> = {
  bars: ['ts', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trades'],
  trades: ['ts', 'price', 'quantity', 'side', 'id'],
};

export function fieldsOf(kind: RecordKind): readonly RecordField[] {
  return kind === 'bars' ? BAR_FIELDS : TRADE_FIELDS;
}

export function normalizeHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export interface ResolveColumnsOptions {
  kind: RecordKind;
  mapping?: ColumnMapping;
  /** The records are arrays: columns are positions. */
  positional?: boolean;
  /** A symbol was given for the whole file, so no symbol column is needed. */
  symbolGiven: boolean;
  /** For errors. */
  file: string;
  /** Line of the header (or of the first record, for JSON). */
  line: number;
}

/**
 * Which column holds each field. An explicit mapping wins and must name existing columns; other fields are found by
 * their usual header spellings. Missing required fields and mapped columns that do not exist fail with a
 * DataFileError that lists the file's columns and says how to map them.
 */
export function resolveColumns(header: readonly string[], options: ResolveColumnsOptions): ResolvedColumns {
  const { kind, mapping = {}, file, line } = options;
  const known = new Set<string>(fieldsOf(kind));
  const unknownFields = Object.keys(mapping).filter((field) => !known.has(field));
  if (unknownFields.length > 0) {
    throw new DataFileError(
      file,
      `mapping names unknown field(s) ${unknownFields.join(', ')}; ${kind} have ${[...known].join(', ')}`,
    );
  }
  const columns: Partial<Record<RecordField, string>> = {};
  const indexes: Partial<Record<RecordField, number>> = {};
  const used = new Set<number>();
  const listed = header.map((h) => JSON.stringify(h)).join(', ');

  for (const [field, column] of Object.entries(mapping) as [RecordField, string | undefined][]) {
    if (column === undefined) continue;
    let index = header.indexOf(column);
    if (index < 0) index = header.findIndex((h) => normalizeHeader(h) === normalizeHeader(column));
    if (index < 0) {
      throw new DataFileError(
        file,
        `mapping.${field} names column ${JSON.stringify(column)}, which is not in the file; its columns are ${listed}`,
        line,
      );
    }
    columns[field] = header[index];
    indexes[field] = index;
    used.add(index);
  }

  const normalized = header.map(normalizeHeader);
  for (const field of fieldsOf(kind)) {
    if (indexes[field] !== undefined) continue;
    let index = -1;
    if (options.positional) {
      const position = POSITIONAL[kind].indexOf(field);
      if (position >= 0 && position < header.length && !used.has(position)) index = position;
    } else {
      for (const alias of ALIASES[kind][field] ?? []) {
        index = normalized.findIndex((name, i) => name === alias && !used.has(i));
        if (index >= 0) break;
      }
    }
    if (index < 0) continue;
    columns[field] = header[index];
    indexes[field] = index;
    used.add(index);
  }

  const required = REQUIRED[kind].filter((field) => indexes[field] === undefined);
  if (!options.symbolGiven && indexes.symbol === undefined) required.push('symbol');
  if (required.length > 0) {
    const hints = required.map((field) =>
      field === 'symbol'
        ? 'symbol (pass the symbol option, or map a column)'
        : `${field} (looked for ${(ALIASES[kind][field] ?? []).slice(0, 5).join('/')})`,
    );
    throw new DataFileError(
      file,
      `no column for ${hints.join(', ')}; the file's columns are ${listed}. Map them explicitly, e.g. mapping: { ${required[0]}: '<column>' }`,
      line,
    );
  }
  const ignored = header.filter((_, i) => !used.has(i));
  return { columns, indexes, ignored };
}
