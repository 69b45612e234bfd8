import { ConflictError, validateOrderRequest, ValidationError, type FieldProblem, type OrderRequest } from '@rrr/core';
import type { OmsOrder } from './oms-order';
import { reviseOrder } from './transition-order';

/** What a modify (cancel/replace) may change; symbol, side, type and time in force never change. */
export interface OrderModification {
  quantity?: number;
  price?: number;
  stopPrice?: number;
  trailingPercent?: number;
  trailingAmount?: number;
}

const MODIFIABLE_FIELDS: readonly (keyof OrderModification)[] = [
  'quantity',
  'price',
  'stopPrice',
  'trailingPercent',
  'trailingAmount',
];

/**
 * The order with `modification` applied, next version. Rules:
 * - only a working order can change: accepted or partially-filled, or a bracket exit still held (pending-new with
 *   a parent); anything else is CONFLICT naming the status;
 * - a field the order type does not take is ORDER_INVALID (a market order has no price to move);
 * - the new quantity must exceed what already filled;
 * - a triggered stop's trigger price can no longer move;
 * - the result must pass the same validation as a new request (ranges, bracket sides).
 * Pure; throws ValidationError (ORDER_INVALID) or ConflictError.
 */
export function applyOrderModification(order: OmsOrder, modification: OrderModification, ts: number): OmsOrder {
  const heldExit = order.status === 'pending-new' && order.parentId !== undefined;
  if (!heldExit && order.status !== 'accepted' && order.status !== 'partially-filled') {
    throw new ConflictError(`order ${order.id} is ${order.status}: only a working order can be modified`, {
      orderId: order.id,
      status: order.status,
    });
  }
  const problems: FieldProblem[] = [];
  const given = MODIFIABLE_FIELDS.filter((f) => modification[f] !== undefined);
  const unknown = Object.keys(modification).filter(
    (k) =>
      !(MODIFIABLE_FIELDS as readonly string[]).includes(k) &&
      (modification as Record<string, unknown>)[k] !== undefined,
  );
  for (const field of unknown) {
    problems.push({
      field,
      message: 'cannot be modified (only quantity, price, stopPrice, trailingPercent, trailingAmount)',
    });
  }
  if (given.length === 0 && unknown.length === 0) {
    problems.push({ field: '(root)', message: 'names nothing to change' });
  }
  for (const field of given) {
    if (field !== 'quantity' && order[field] === undefined) {
      problems.push({ field, message: `is not a field of this ${order.type} order`, value: modification[field] });
    }
  }
  if (modification.stopPrice !== undefined && order.triggeredAt !== undefined) {
    throw new ConflictError(`order ${order.id} has triggered: its stopPrice can no longer change`, {
      orderId: order.id,
    });
  }
  if (modification.quantity !== undefined && !(modification.quantity > order.filledQuantity)) {
    problems.push({
      field: 'quantity',
      message: `must exceed the ${order.filledQuantity} already filled`,
      value: modification.quantity,
    });
  }
  if (problems.length === 0) {
    const candidate: OrderRequest = {
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      quantity: modification.quantity ?? order.quantity,
      ...pick(order, modification, 'price'),
      ...pick(order, modification, 'stopPrice'),
      ...pick(order, modification, 'trailingPercent'),
      ...pick(order, modification, 'trailingAmount'),
      timeInForce: order.timeInForce,
      ...(order.bracket === undefined ? {} : { bracket: order.bracket }),
    };
    problems.push(...validateOrderRequest(candidate));
  }
  if (problems.length > 0) throw new ValidationError(`modification of order ${order.id}`, problems, 'ORDER_INVALID');
  const patch: Partial<OmsOrder> = {};
  for (const field of given) patch[field] = modification[field];
  return reviseOrder(order, ts, patch);
}

function pick(
  order: OmsOrder,
  modification: OrderModification,
  field: 'price' | 'stopPrice' | 'trailingPercent' | 'trailingAmount',
): Partial<OrderRequest> {
  const value = modification[field] ?? order[field];
  return value === undefined ? {} : { [field]: value };
}
