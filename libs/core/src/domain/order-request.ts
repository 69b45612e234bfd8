import { ValidationError, type FieldProblem } from '../errors';
import { DOMAIN_LIMITS } from './domain-limits';
import { FieldReader } from './field-reader';
import { ORDER_SIDES, type OrderSide } from './order-side';
import { ORDER_TYPES, orderTypeTakesPrice, orderTypeTakesStopPrice, type OrderType } from './order-type';
import { TIME_IN_FORCES, type TimeInForce } from './time-in-force';

/** Exit orders attached to an entry: both become live once the entry fills, and one cancels the other. */
export interface OrderBracket {
  /** Stop-loss trigger price: below the entry for a buy, above it for a sell. */
  stopLoss?: number;
  /** Take-profit limit price: above the entry for a buy, below it for a sell. */
  takeProfit?: number;
}

/** What a client submits. The OMS assigns the id and, when absent, the clientOrderId. */
export interface OrderRequest {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  /** Base units, 1e-6..1e6. */
  quantity: number;
  /** Limit price: required for limit and stop-limit orders, not allowed otherwise. */
  price?: number;
  /** Trigger price: required for stop and stop-limit orders, not allowed otherwise. */
  stopPrice?: number;
  /** Trailing-stop distance in percent of the best price seen (1.5 = 1.5 %), 0 < p < 100. */
  trailingPercent?: number;
  /** Trailing-stop distance in price units, > 0. */
  trailingAmount?: number;
  /** Defaults to DEFAULT_TIME_IN_FORCE (GTC). */
  timeInForce?: TimeInForce;
  /** Only ever shrink the position; never open or flip it. */
  reduceOnly?: boolean;
  /** Caller's idempotency key: resubmitting the same id must not create a second order. */
  clientOrderId?: string;
  bracket?: OrderBracket;
}

const QUANTITY_RANGE = {
  min: DOMAIN_LIMITS.orderQuantityMin,
  minInclusive: true,
  max: DOMAIN_LIMITS.orderQuantityMax,
  maxInclusive: true,
} as const;

/** Whether the shared request fields are optional (client input) or must be filled in (an order the OMS holds). */
export interface OrderFieldsMode {
  requireTimeInForce: boolean;
  requireClientOrderId: boolean;
}

/**
 * Reads and checks the fields an order shares with its request; shared so a stored Order is held to exactly the
 * rules its request passed. Returns the values that passed, for callers' cross-field checks.
 */
export function readOrderRequestFields(
  r: FieldReader,
  mode: OrderFieldsMode,
): { side?: OrderSide; type?: OrderType; quantity?: number } {
  r.symbol('symbol');
  const side = r.oneOf('side', ORDER_SIDES);
  const type = r.oneOf('type', ORDER_TYPES);
  const quantity = r.number('quantity', QUANTITY_RANGE);
  r.oneOf('timeInForce', TIME_IN_FORCES, { optional: !mode.requireTimeInForce });
  r.boolean('reduceOnly', { optional: true });
  r.id('clientOrderId', { optional: !mode.requireClientOrderId });

  let price: number | undefined;
  let stopPrice: number | undefined;
  if (type !== undefined) {
    // Fields that do not belong to the type are rejected rather than ignored: a "market" order carrying a price is
    // almost always a limit order sent with the wrong type, and executing it at market is the costly reading.
    price = checkTypedPrice(r, 'price', type, orderTypeTakesPrice(type), 'limit and stop-limit orders');
    stopPrice = checkTypedPrice(r, 'stopPrice', type, orderTypeTakesStopPrice(type), 'stop and stop-limit orders');
    checkTrailing(r, type);
  } else {
    r.price('price', { optional: true });
    r.price('stopPrice', { optional: true });
    r.number('trailingPercent', { min: 0, max: 100 }, { optional: true });
    r.price('trailingAmount', { optional: true });
  }

  const bracket = r.nested('bracket', { optional: true });
  if (bracket) {
    const stopLoss = bracket.price('stopLoss', { optional: true });
    const takeProfit = bracket.price('takeProfit', { optional: true });
    if (side !== undefined) checkBracketSides(bracket, side, price ?? stopPrice, stopLoss, takeProfit);
  }
  return { side, type, quantity };
}

function checkTypedPrice(
  r: FieldReader,
  field: 'price' | 'stopPrice',
  type: OrderType,
  takes: boolean,
  whoTakes: string,
): number | undefined {
  if (takes) {
    if (!r.has(field)) {
      r.report(field, `is required for a ${type} order`);
      return undefined;
    }
    return r.price(field);
  }
  if (r.has(field)) r.report(field, `is not allowed for a ${type} order (only ${whoTakes} take it)`);
  return undefined;
}

function checkTrailing(r: FieldReader, type: OrderType): void {
  const hasPercent = r.has('trailingPercent');
  const hasAmount = r.has('trailingAmount');
  if (type !== 'trailing-stop') {
    for (const field of ['trailingPercent', 'trailingAmount'] as const) {
      if (r.has(field)) r.report(field, `is not allowed for a ${type} order (only trailing-stop orders take it)`);
    }
    return;
  }
  if (!hasPercent && !hasAmount) {
    r.report(
      'trailingPercent',
      'a trailing-stop order needs exactly one of trailingPercent or trailingAmount (got neither)',
    );
    return;
  }
  if (hasPercent && hasAmount) {
    r.report(
      'trailingAmount',
      'is not allowed together with trailingPercent: a trailing-stop order takes exactly one of trailingPercent or trailingAmount',
    );
  }
  if (hasPercent) r.number('trailingPercent', { min: 0, max: 100 });
  // A distance is bounded like a price: a trail wider than any valid price could never trigger.
  if (hasAmount) r.price('trailingAmount');
}

/**
 * Exits must sit on the losing / winning side of the entry (the limit price, or the stop trigger of a stop entry).
 * With no entry price (market and trailing entries) the two exits can still be checked against each other.
 */
function checkBracketSides(
  bracket: FieldReader,
  side: OrderSide,
  entry: number | undefined,
  stopLoss: number | undefined,
  takeProfit: number | undefined,
): void {
  const buy = side === 'buy';
  if (entry !== undefined) {
    if (stopLoss !== undefined && (buy ? stopLoss >= entry : stopLoss <= entry)) {
      bracket.report('stopLoss', `must be ${buy ? '<' : '>'} the entry price ${entry} for a ${side} (got ${stopLoss})`);
    }
    if (takeProfit !== undefined && (buy ? takeProfit <= entry : takeProfit >= entry)) {
      bracket.report(
        'takeProfit',
        `must be ${buy ? '>' : '<'} the entry price ${entry} for a ${side} (got ${takeProfit})`,
      );
    }
    return;
  }
  if (stopLoss !== undefined && takeProfit !== undefined && (buy ? stopLoss >= takeProfit : stopLoss <= takeProfit)) {
    bracket.report(
      'stopLoss',
      `must be ${buy ? '<' : '>'} bracket.takeProfit ${takeProfit} for a ${side} (got ${stopLoss})`,
    );
  }
}

/**
 * Every problem with an order request. Legacy rules: valid symbol, quantity 1e-6..1e6, limit needs price, stop needs
 * stopPrice; plus stop-limit needs both, trailing-stop exactly one of trailingPercent (0 < p < 100) or
 * trailingAmount (> 0), bracket exits on the correct side of the entry, and no field that the type does not use.
 */
export function validateOrderRequest(input: unknown): FieldProblem[] {
  const r = new FieldReader(input);
  readOrderRequestFields(r, { requireTimeInForce: false, requireClientOrderId: false });
  return r.problems;
}

/** The input typed as an OrderRequest, or a ValidationError (ORDER_INVALID) listing every problem. */
export function assertValidOrderRequest(input: unknown): OrderRequest {
  const problems = validateOrderRequest(input);
  if (problems.length > 0) throw new ValidationError('order request', problems, 'ORDER_INVALID');
  return input as OrderRequest;
}
