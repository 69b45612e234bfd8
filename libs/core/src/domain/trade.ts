import { ValidationError, type FieldProblem } from '../errors';
import { FieldReader } from './field-reader';
import { ORDER_SIDES, type OrderSide } from './order-side';

/** One print on the tape. */
export interface Trade {
  symbol: string;
  ts: number;
  price: number;
  quantity: number;
  /** Side of the aggressor (the taker), when the venue reports it. */
  side?: OrderSide;
  /** Venue trade id, when the venue reports one; used to de-duplicate replays. */
  id?: string;
}

export function validateTrade(input: unknown): FieldProblem[] {
  const r = new FieldReader(input);
  r.symbol('symbol');
  r.timestamp('ts');
  r.price('price');
  // A print of zero size carries no information and usually marks a vendor correction record.
  r.number('quantity', { min: 0 });
  r.oneOf('side', ORDER_SIDES, { optional: true });
  r.id('id', { optional: true });
  return r.problems;
}

/** The input typed as a Trade, or a ValidationError (DATA_INVALID) listing every problem. */
export function assertValidTrade(input: unknown): Trade {
  const problems = validateTrade(input);
  if (problems.length > 0) throw new ValidationError('trade', problems, 'DATA_INVALID');
  return input as Trade;
}
