import { ValidationError, type FieldProblem } from '../errors';
import { FieldReader } from './field-reader';
import { readOrderRequestFields, type OrderRequest } from './order-request';
import { ORDER_STATUSES, type OrderStatus } from './order-status';
import type { TimeInForce } from './time-in-force';

/** An order as the OMS holds it: the request with defaults filled in, plus identity, status and fill progress. */
export interface Order extends Omit<OrderRequest, 'timeInForce' | 'clientOrderId'> {
  id: string;
  clientOrderId: string;
  timeInForce: TimeInForce;
  status: OrderStatus;
  /** Cumulative filled quantity, 0..quantity. */
  filledQuantity: number;
  /** Quantity-weighted average over fills; null until the first fill. */
  averageFillPrice: number | null;
  createdAt: number;
  updatedAt: number;
  /** Why the venue or the risk layer refused the order (status 'rejected'). */
  rejectReason?: string;
}

/**
 * Relative slack when comparing a cumulative filled quantity with the ordered one: summing partial fills in binary
 * floating point (0.1 + 0.2) can miss the order quantity by an ulp, and such an order is filled, not partially filled.
 */
const FILL_QUANTITY_RELATIVE_TOLERANCE = 1e-9;

function sameQuantity(a: number, b: number): boolean {
  return Math.abs(a - b) <= FILL_QUANTITY_RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** Quantity still to fill; never negative. */
export function orderRemainingQuantity(order: Pick<Order, 'quantity' | 'filledQuantity'>): number {
  const remaining = order.quantity - order.filledQuantity;
  return remaining > 0 && !sameQuantity(order.quantity, order.filledQuantity) ? remaining : 0;
}

/**
 * Every problem with a stored or reported order: the request rules (with timeInForce and clientOrderId required),
 * plus consistency of the fill progress with the status — nothing filled while pending-new, accepted or rejected;
 * strictly between 0 and quantity while partially-filled; all of it when filled; averageFillPrice null exactly when
 * nothing is filled; updatedAt not before createdAt.
 */
export function validateOrder(input: unknown): FieldProblem[] {
  const r = new FieldReader(input);
  const { quantity } = readOrderRequestFields(r, { requireTimeInForce: true, requireClientOrderId: true });
  r.id('id');
  const status = r.oneOf('status', ORDER_STATUSES);
  const filled = r.number('filledQuantity', { min: 0, minInclusive: true });
  const createdAt = r.timestamp('createdAt');
  const updatedAt = r.timestamp('updatedAt');
  r.text('rejectReason', 1_000, { optional: true });

  const rawAverage = r.raw('averageFillPrice');
  if (r.isRecord && rawAverage === undefined) {
    r.report('averageFillPrice', 'is required (null until the first fill)');
  } else if (rawAverage === null) {
    if (filled !== undefined && filled > 0)
      r.report('averageFillPrice', 'must be a price once filledQuantity > 0 (got null)');
  } else if (r.isRecord) {
    const average = r.price('averageFillPrice');
    if (average !== undefined && filled === 0) {
      r.report('averageFillPrice', `must be null while nothing is filled (got ${average})`);
    }
  }

  if (filled !== undefined && quantity !== undefined) {
    if (filled > quantity && !sameQuantity(filled, quantity)) {
      r.report('filledQuantity', `must be <= quantity = ${quantity} (got ${filled})`);
    } else if (status !== undefined) {
      const message = fillProgressProblem(status, filled, quantity);
      if (message !== undefined) r.report('filledQuantity', message);
    }
  }
  if (createdAt !== undefined && updatedAt !== undefined && updatedAt < createdAt) {
    r.report('updatedAt', `must be >= createdAt = ${createdAt} (got ${updatedAt})`);
  }
  return r.problems;
}

function fillProgressProblem(status: OrderStatus, filled: number, quantity: number): string | undefined {
  const complete = sameQuantity(filled, quantity);
  switch (status) {
    case 'pending-new':
    case 'accepted':
    case 'rejected':
      return filled === 0 ? undefined : `must be 0 while the order is ${status} (got ${filled})`;
    case 'partially-filled':
      return filled > 0 && !complete
        ? undefined
        : `must be > 0 and < quantity = ${quantity} while the order is partially-filled (got ${filled})`;
    case 'filled':
      return complete ? undefined : `must equal quantity = ${quantity} once the order is filled (got ${filled})`;
    case 'cancelled':
    case 'expired':
      return complete ? `must be < quantity = ${quantity}: a fully filled order is filled, not ${status}` : undefined;
  }
}

/** The input typed as an Order, or a ValidationError (ORDER_INVALID) listing every problem. */
export function assertValidOrder(input: unknown): Order {
  const problems = validateOrder(input);
  if (problems.length > 0) throw new ValidationError('order', problems, 'ORDER_INVALID');
  return input as Order;
}
