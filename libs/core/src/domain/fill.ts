import { ValidationError, type FieldProblem } from '../errors';
import { DOMAIN_LIMITS } from './domain-limits';
import { FieldReader } from './field-reader';
import { ORDER_SIDES, type OrderSide } from './order-side';

/** Whether the fill added liquidity (resting order) or took it (crossing order); it decides the fee rate. */
export const FILL_LIQUIDITIES = ['maker', 'taker'] as const;
export type FillLiquidity = (typeof FILL_LIQUIDITIES)[number];

/** One execution against an order. */
export interface Fill {
  id: string;
  orderId: string;
  clientOrderId?: string;
  symbol: string;
  side: OrderSide;
  /** Base units filled in this execution, > 0. */
  quantity: number;
  price: number;
  /** Fee charged in `feeCurrency`; negative for a maker rebate. */
  fee: number;
  feeCurrency: string;
  liquidity: FillLiquidity;
  ts: number;
}

/** Currency codes as venues print them: `USD`, `USDT`, `BTC`, `1000SHIB`. */
const CURRENCY_PATTERN = /^[A-Z0-9]{2,12}$/;

/**
 * Every problem with a fill. The quantity is only bounded by the order maximum, not the minimum, since a partial
 * fill of a minimum-size order is smaller than the minimum.
 */
export function validateFill(input: unknown): FieldProblem[] {
  const r = new FieldReader(input);
  r.id('id');
  r.id('orderId');
  r.id('clientOrderId', { optional: true });
  r.symbol('symbol');
  r.oneOf('side', ORDER_SIDES);
  r.number('quantity', { min: 0, max: DOMAIN_LIMITS.orderQuantityMax, maxInclusive: true });
  r.price('price');
  r.number('fee');
  r.matching('feeCurrency', CURRENCY_PATTERN, 'must be a currency code of 2-12 characters A-Z or 0-9, e.g. "USD"');
  r.oneOf('liquidity', FILL_LIQUIDITIES);
  r.timestamp('ts');
  return r.problems;
}

/** The input typed as a Fill, or a ValidationError (VALIDATION_FAILED) listing every problem. */
export function assertValidFill(input: unknown): Fill {
  const problems = validateFill(input);
  if (problems.length > 0) throw new ValidationError('fill', problems);
  return input as Fill;
}
