import { ValidationError, type FieldProblem } from '../errors';
import { FieldReader } from './field-reader';

/** Net holding in one symbol. */
export interface Position {
  symbol: string;
  /** Signed base units: + long, − short, 0 flat. */
  quantity: number;
  /** Average entry price of the open quantity; 0 when flat. */
  averagePrice: number;
  /** Profit realized by reducing or closing the position, in the quote currency, before fees. */
  realizedPnl: number;
  /** When the current position was opened (from flat). */
  openedAt: number;
  updatedAt: number;
}

export type PositionSide = 'long' | 'short' | 'flat';

export function positionSide(position: Pick<Position, 'quantity'>): PositionSide {
  if (position.quantity > 0) return 'long';
  if (position.quantity < 0) return 'short';
  return 'flat';
}

/** Every problem with a stored or reported position. */
export function validatePosition(input: unknown): FieldProblem[] {
  const r = new FieldReader(input);
  r.symbol('symbol');
  const quantity = r.number('quantity');
  if (quantity === 0) {
    const average = r.number('averagePrice');
    if (average !== undefined && average !== 0)
      r.report('averagePrice', `must be 0 while the position is flat (got ${average})`);
  } else {
    r.price('averagePrice');
  }
  r.number('realizedPnl');
  const openedAt = r.timestamp('openedAt');
  const updatedAt = r.timestamp('updatedAt');
  if (openedAt !== undefined && updatedAt !== undefined && updatedAt < openedAt) {
    r.report('updatedAt', `must be >= openedAt = ${openedAt} (got ${updatedAt})`);
  }
  return r.problems;
}

/** The input typed as a Position, or a ValidationError (VALIDATION_FAILED) listing every problem. */
export function assertValidPosition(input: unknown): Position {
  const problems = validatePosition(input);
  if (problems.length > 0) throw new ValidationError('position', problems);
  return input as Position;
}
