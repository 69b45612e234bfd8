import { ValidationError } from '@rrr/core';

/**
 * How a file writes its timestamps:
 * - `iso`: `2020-01-03`, `2020-01-03T14:30`, `2020-01-03 14:30:00.123`, with or without a zone (`Z`, `+01:00`);
 * - `epoch-s` / `epoch-ms`: seconds or milliseconds since 1970 (fractions of a second allowed);
 * - `MM/DD/YYYY` / `DD/MM/YYYY`: optionally followed by ` HH:MM[:SS]` and `AM`/`PM`;
 * - `auto`: decided from the first values of the file (see {@link detectDateFormat}).
 */
export const DATE_FORMATS = ['auto', 'iso', 'epoch-s', 'epoch-ms', 'MM/DD/YYYY', 'DD/MM/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export type ConcreteDateFormat = Exclude<DateFormat, 'auto'>;

/** Epoch ms for a value, or NaN when it is not a timestamp in the parser's format. */
export type TimestampParser = (value: unknown) => number;

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const SLASH_PATTERN = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const NUMBER_PATTERN = /^[+-]?\d+(\.\d+)?$/;
/** Epoch values below this are seconds: 1e11 s is the year 5138, 1e11 ms is March 1973. */
const EPOCH_SECONDS_BELOW = 1e11;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

// The start of the day last converted: rows of one day (1,440 minute bars) share it, so Date.UTC runs once a day.
let cachedDayKey = Number.NaN;
let cachedDayStartMs = 0;

/** Wall-clock fields as UTC epoch ms, or NaN when a field is out of range (month 13, 31 April, 25:00). */
function wallClockMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  if (month < 1 || month > 12 || day < 1) return Number.NaN;
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > monthDays || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const dayKey = (year * 16 + month) * 32 + day;
  if (dayKey !== cachedDayKey) {
    cachedDayStartMs = Date.UTC(year, month - 1, day);
    cachedDayKey = dayKey;
  }
  return cachedDayStartMs + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

function fractionToMs(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Math.round(Number(`0.${fraction}`) * 1000);
}

/** `+05:30` / `-0400` / `Z` → offset east of UTC in minutes. */
function parseOffsetMinutes(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

/**
 * Converts wall-clock times of a zone to UTC. Fixed offsets are applied directly; IANA zones go through Intl, whose
 * answer is cached per wall-clock hour (zone offsets change on hour boundaries in practically every zone), so a file
 * of minute bars costs one Intl call per hour of data.
 */
export class ZoneConverter {
  private readonly fixedOffsetMinutes: number | undefined;
  private readonly formatter: Intl.DateTimeFormat | undefined;
  private readonly cache = new Map<number, number>();

  constructor(readonly timezone: string) {
    const fixed = /^(UTC|GMT|Z)$/i.test(timezone)
      ? 0
      : /^[+-]\d{2}:?\d{2}$/.test(timezone)
        ? parseOffsetMinutes(timezone)
        : undefined;
    this.fixedOffsetMinutes = fixed;
    if (fixed === undefined) {
      try {
        this.formatter = new Intl.DateTimeFormat('en-US', {
          timeZone: timezone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        });
      } catch {
        throw new ValidationError('timestamp options', [
          {
            field: 'timezone',
            message: 'must be UTC, a fixed offset such as +05:30, or an IANA zone such as America/New_York',
            value: timezone,
          },
        ]);
      }
    }
  }

  /** UTC epoch ms of a wall-clock time in this zone, given as if it were UTC. */
  toUtc(wallMs: number): number {
    if (this.fixedOffsetMinutes !== undefined) return wallMs - this.fixedOffsetMinutes * 60_000;
    const hour = Math.floor(wallMs / 3_600_000);
    let offset = this.cache.get(hour);
    if (offset === undefined) {
      // Two rounds settle the offset for every wall time except the hour skipped at a DST start.
      const guess = wallMs - this.offsetAt(wallMs);
      offset = this.offsetAt(guess);
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(hour, offset);
    }
    return wallMs - offset;
  }

  /** The zone's offset from UTC (ms, east positive) at a UTC instant. */
  private offsetAt(utcMs: number): number {
    const parts = (this.formatter as Intl.DateTimeFormat).formatToParts(new Date(utcMs));
    const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
    const wall = Date.UTC(
      field('year'),
      field('month') - 1,
      field('day'),
      field('hour'),
      field('minute'),
      field('second'),
    );
    return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
  }
}

function digits2(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The two ISO shapes nearly every file uses — `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SS[.fff][Z]` (or a space for the
 * T) — read from character codes in text[start, end), about ten times faster than the general pattern and without
 * cutting a substring. Undefined means "another shape": the caller falls back to the pattern, which also handles
 * offsets, minutes-only times and surrounding spaces.
 */
function parseCommonIso(text: string, start: number, end: number, zone: ZoneConverter): number | undefined {
  const n = end - start;
  if (n < 10 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) return undefined;
  const y1 = digits2(text, start);
  const y2 = digits2(text, start + 2);
  const month = digits2(text, start + 5);
  const day = digits2(text, start + 8);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0) return undefined;
  const year = y1 * 100 + y2;
  if (n === 10) return wallClockMs(year, month, day);
  const sep = text.charCodeAt(start + 10);
  if (
    (sep !== 84 && sep !== 32) ||
    n < 19 ||
    text.charCodeAt(start + 13) !== 58 ||
    text.charCodeAt(start + 16) !== 58
  ) {
    return undefined;
  }
  const hour = digits2(text, start + 11);
  const minute = digits2(text, start + 14);
  const second = digits2(text, start + 17);
  if (hour < 0 || minute < 0 || second < 0) return undefined;
  let i = start + 19;
  let ms = 0;
  if (i < end && text.charCodeAt(i) === 46) {
    let scale = 100;
    i++;
    const first = i;
    for (; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
    }
    // Finer than milliseconds needs rounding: the general path does it.
    if (i === first || i - first > 3) return undefined;
  }
  if (i === end) {
    const wall = wallClockMs(year, month, day, hour, minute, second, ms);
    return Number.isNaN(wall) ? wall : zone.toUtc(wall);
  }
  if (i === end - 1 && (text.charCodeAt(i) === 90 || text.charCodeAt(i) === 122)) {
    return wallClockMs(year, month, day, hour, minute, second, ms);
  }
  return undefined;
}

/**
 * The format of a file's timestamps, judged from sample values: ISO shapes, numbers (seconds below 1e11, else
 * milliseconds), and slashed dates (`DD/MM/YYYY` only when some first part exceeds 12, `MM/DD/YYYY` otherwise).
 */
export function detectDateFormat(samples: readonly unknown[]): ConcreteDateFormat | undefined {
  let slashed = false;
  let dayFirst = false;
  for (const sample of samples) {
    if (typeof sample === 'number') return Math.abs(sample) < EPOCH_SECONDS_BELOW ? 'epoch-s' : 'epoch-ms';
    if (typeof sample !== 'string') continue;
    const text = sample.trim();
    if (text === '') continue;
    if (ISO_PATTERN.test(text)) return 'iso';
    if (NUMBER_PATTERN.test(text)) return Math.abs(Number(text)) < EPOCH_SECONDS_BELOW ? 'epoch-s' : 'epoch-ms';
    const slash = SLASH_PATTERN.exec(text);
    if (slash === null) continue;
    slashed = true;
    if (Number(slash[1]) > 12) dayFirst = true;
  }
  if (slashed) return dayFirst ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
  return undefined;
}

/** What a value in `format` looks like, for problem messages. */
export function describeDateFormat(format: ConcreteDateFormat): string {
  switch (format) {
    case 'iso':
      return 'an ISO date or date-time such as 2020-01-03 or 2020-01-03T14:30:00Z';
    case 'epoch-s':
      return 'epoch seconds';
    case 'epoch-ms':
      return 'epoch milliseconds';
    default:
      return `a ${format} date`;
  }
}

/**
 * A parser for one format. Zone-less date-times are read in `timezone` (default UTC); a bare date is the day's
 * 00:00 UTC whatever the zone, since daily bars are keyed by their calendar date.
 */
export function createTimestampParser(format: ConcreteDateFormat, timezone = 'UTC'): TimestampParser {
  const zone = new ZoneConverter(timezone);
  switch (format) {
    case 'epoch-s':
    case 'epoch-ms': {
      const scale = format === 'epoch-s' ? 1000 : 1;
      return (value) => {
        const n =
          typeof value === 'number'
            ? value
            : typeof value === 'string' && value.trim() !== ''
              ? Number(value)
              : Number.NaN;
        return Number.isFinite(n) ? Math.round(n * scale) : Number.NaN;
      };
    }
    case 'iso':
      return (value) => {
        if (typeof value !== 'string') return Number.NaN;
        const fast = parseCommonIso(value, 0, value.length, zone);
        if (fast !== undefined) return fast;
        const m = ISO_PATTERN.exec(value.trim());
        if (m === null) return Number.NaN;
        const [, y, mo, d, h, mi, s, frac, offset] = m;
        if (h === undefined) return wallClockMs(Number(y), Number(mo), Number(d));
        const wall = wallClockMs(
          Number(y),
          Number(mo),
          Number(d),
          Number(h),
          Number(mi),
          Number(s ?? 0),
          fractionToMs(frac),
        );
        if (Number.isNaN(wall)) return wall;
        return offset === undefined ? zone.toUtc(wall) : wall - parseOffsetMinutes(offset) * 60_000;
      };
    case 'MM/DD/YYYY':
    case 'DD/MM/YYYY': {
      const monthFirst = format === 'MM/DD/YYYY';
      return (value) => {
        if (typeof value !== 'string') return Number.NaN;
        const m = SLASH_PATTERN.exec(value.trim());
        if (m === null) return Number.NaN;
        const [, a, b, y, h, mi, s, meridiem] = m;
        const month = Number(monthFirst ? a : b);
        const day = Number(monthFirst ? b : a);
        if (h === undefined) return wallClockMs(Number(y), month, day);
        let hour = Number(h);
        if (meridiem !== undefined) {
          if (hour < 1 || hour > 12) return Number.NaN;
          hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
        }
        const wall = wallClockMs(Number(y), month, day, hour, Number(mi), Number(s ?? 0));
        return Number.isNaN(wall) ? wall : zone.toUtc(wall);
      };
    }
  }
}

/** Epoch ms for text[start, end) of a longer string (a CSV line), or NaN; see {@link createTimestampParser}. */
export type RangeTimestampParser = (text: string, start: number, end: number) => number;

/**
 * The same parser reading a slice of a line in place: ISO values and epoch numbers are read from character codes,
 * other shapes fall back to the value parser on a substring. Results are identical to {@link createTimestampParser}.
 */
export function createRangeTimestampParser(format: ConcreteDateFormat, timezone = 'UTC'): RangeTimestampParser {
  const parse = createTimestampParser(format, timezone);
  if (format === 'iso') {
    const zone = new ZoneConverter(timezone);
    return (text, start, end) => parseCommonIso(text, start, end, zone) ?? parse(text.slice(start, end));
  }
  if (format === 'epoch-s' || format === 'epoch-ms') {
    const scale = format === 'epoch-s' ? 1000 : 1;
    return (text, start, end) => {
      const n = parseDecimal(text, start, end);
      if (n === n) return Math.round(n * scale);
      return parse(text.slice(start, end));
    };
  }
  return (text, start, end) => parse(text.slice(start, end));
}

/** Exact powers of ten: 10^k for k ≤ 22 is representable, so one division by it is correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A plain decimal (`-12.345`, `7`, `.5`) in text[start, end) from character codes, or NaN for anything else
 * (exponents, spaces, signs alone, more than 15 significant digits) so the caller falls back to Number(). Within
 * those limits the digits form an integer below 2^53 and the result is one correctly rounded division: exactly
 * what Number() returns for the same text.
 */
export function parseDecimal(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let seenPoint = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
      if (seenPoint) fraction++;
    } else if (c === 46 && !seenPoint) {
      seenPoint = true;
    } else {
      return Number.NaN;
    }
  }
  const length = end - start - (negative || first === 43 ? 1 : 0) - (seenPoint ? 1 : 0);
  if (length <= 0 || digits > 15 || fraction > 22) return Number.NaN;
  const value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
  return negative ? -value : value;
}
