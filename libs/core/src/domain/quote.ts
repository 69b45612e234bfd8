import { ValidationError, type FieldProblem } from '../errors';
import { FieldReader } from './field-reader';

/** Top of book. Sizes are in base units. */
export interface Quote {
  symbol: string;
  ts: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

/**
 * Every problem with a candidate quote: prices in (0, 1e7), sizes >= 0, and the book not crossed (bid <= ask; a
 * locked book, bid = ask, is accepted). A crossed single-venue quote is a stale or corrupt update, and a fill
 * simulator fed one would trade at a negative spread.
 */
export function validateQuote(input: unknown): FieldProblem[] {
  const r = new FieldReader(input);
  r.symbol('symbol');
  r.timestamp('ts');
  const bid = r.price('bid');
  const ask = r.price('ask');
  r.number('bidSize', { min: 0, minInclusive: true });
  r.number('askSize', { min: 0, minInclusive: true });
  if (bid !== undefined && ask !== undefined && ask < bid) {
    r.report('ask', `must be >= bid = ${bid}: the book is crossed (got ${ask})`);
  }
  return r.problems;
}

/** The input typed as a Quote, or a ValidationError (DATA_INVALID) listing every problem. */
export function assertValidQuote(input: unknown): Quote {
  const problems = validateQuote(input);
  if (problems.length > 0) throw new ValidationError('quote', problems, 'DATA_INVALID');
  return input as Quote;
}
