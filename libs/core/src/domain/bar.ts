import { ValidationError, type FieldProblem } from '../errors';
import { FieldReader } from './field-reader';
import { INTERVALS, type Interval } from './interval';

/** One OHLCV candle. `ts` is the bar's OPEN time (epoch ms UTC); the bar covers [ts, ts + interval). */
export interface Bar {
  symbol: string;
  interval: Interval;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Traded quantity in base units over the bar. */
  volume: number;
  /** Volume-weighted average price over the bar, when the source provides or computed it. */
  vwap?: number;
  /** Number of trades aggregated into the bar. */
  trades?: number;
}

/**
 * Relative slack allowed when checking vwap against [low, high]: a vwap computed as Σ(p·q)/Σq can land one rounding
 * step outside the range its prices span, and flagging that would reject bars the pipeline built itself.
 */
const VWAP_RELATIVE_TOLERANCE = 1e-9;

/**
 * Every problem with a candidate bar. Legacy rules: 0 < price < 1e7, volume >= 0, high >= max(open, close, low),
 * low <= min(open, close). Also: vwap within [low, high], trades a non-negative integer. Bar open times are not
 * required to sit on the interval grid, because equity sessions open off it.
 */
export function validateBar(input: unknown): FieldProblem[] {
  const r = new FieldReader(input);
  r.symbol('symbol');
  r.oneOf('interval', INTERVALS);
  r.timestamp('ts');
  const open = r.price('open');
  const high = r.price('high');
  const low = r.price('low');
  const close = r.price('close');
  r.number('volume', { min: 0, minInclusive: true });
  const vwap = r.price('vwap', { optional: true });
  r.integer('trades', { min: 0, minInclusive: true }, { optional: true });

  if (high !== undefined) {
    const floor = Math.max(...[open, close, low].filter((v): v is number => v !== undefined));
    if (high < floor) {
      r.report('high', `must be >= max(open, close, low) = ${floor} (got ${high})`);
    }
  }
  if (low !== undefined) {
    const ceiling = Math.min(...[open, close].filter((v): v is number => v !== undefined));
    if (low > ceiling) {
      r.report('low', `must be <= min(open, close) = ${ceiling} (got ${low})`);
    }
  }
  if (vwap !== undefined && low !== undefined && high !== undefined && low <= high) {
    const slack = VWAP_RELATIVE_TOLERANCE * high;
    if (vwap < low - slack || vwap > high + slack) {
      r.report('vwap', `must lie within [low, high] = [${low}, ${high}] (got ${vwap})`);
    }
  }
  return r.problems;
}

/** The input typed as a Bar, or a ValidationError (DATA_INVALID) listing every problem. */
export function assertValidBar(input: unknown): Bar {
  const problems = validateBar(input);
  if (problems.length > 0) throw new ValidationError('bar', problems, 'DATA_INVALID');
  return input as Bar;
}
