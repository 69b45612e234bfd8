import {
  assertValidOrderRequest,
  DEFAULT_TIME_IN_FORCE,
  isTimeInForce,
  orderTypeTakesPrice,
  orderTypeTakesStopPrice,
  validateOrder,
  ValidationError,
  type Order,
  type OrderRequest,
  type OrderStatus,
  type OrderType,
} from '@rrr/core';
import type * as Ccxt from 'ccxt';
import { toExchangeSymbol } from './exchange-symbol';

/** The arguments of ccxt's `createOrder(symbol, type, side, amount, price, params)`. */
export interface CcxtOrderArgs {
  symbol: string;
  type: 'market' | 'limit';
  side: 'buy' | 'sell';
  amount: number;
  price: number | undefined;
  params: Record<string, unknown>;
}

/**
 * ccxt's unified arguments for a core OrderRequest. Stops use ccxt's unified `triggerPrice` (Binance spot turns it into
 * STOP_LOSS / STOP_LOSS_LIMIT). Trailing stops, brackets and DAY orders have no unified spot equivalent, so they are
 * refused with ORDER_INVALID instead of being sent as something else.
 */
export function orderRequestToCcxt(input: OrderRequest): CcxtOrderArgs {
  const request = assertValidOrderRequest(input);
  const problems = [];
  if (request.type === 'trailing-stop') {
    problems.push({
      field: 'type',
      message: 'trailing-stop orders are not supported by the exchange adapters',
      value: request.type,
    });
  }
  if (request.bracket !== undefined) {
    problems.push({
      field: 'bracket',
      message: 'bracket orders are not supported by the exchange adapters; send the exits separately',
    });
  }
  if (request.timeInForce === 'DAY') {
    problems.push({
      field: 'timeInForce',
      message: 'DAY is not offered by crypto exchanges; use GTC, IOC or FOK',
      value: 'DAY',
    });
  }
  if (problems.length > 0) throw new ValidationError('order request', problems, 'ORDER_INVALID');

  const params: Record<string, unknown> = {};
  if (request.stopPrice !== undefined) params['triggerPrice'] = request.stopPrice;
  if (request.clientOrderId !== undefined) params['clientOrderId'] = request.clientOrderId;
  if (request.reduceOnly === true) params['reduceOnly'] = true;
  if (request.timeInForce !== undefined && orderTypeTakesPrice(request.type))
    params['timeInForce'] = request.timeInForce;
  return {
    symbol: toExchangeSymbol(request.symbol),
    type: orderTypeTakesPrice(request.type) ? 'limit' : 'market',
    side: request.side,
    amount: request.quantity,
    price: request.price,
    params,
  };
}

function statusOf(order: Ccxt.Order, filled: number, amount: number): OrderStatus {
  switch (order.status) {
    case 'open':
      return filled > 0 ? 'partially-filled' : 'accepted';
    case 'closed':
      // "closed" is ccxt's word for done; done with quantity left means the venue stopped filling it.
      return filled >= amount * (1 - 1e-9) ? 'filled' : 'cancelled';
    case 'canceled':
    case 'canceling':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return 'pending-new';
  }
}

function typeOf(order: Ccxt.Order): OrderType {
  const trigger = order.triggerPrice ?? order.stopPrice;
  const type = (order.type ?? '').toLowerCase();
  const limit = type.includes('limit');
  if (trigger !== undefined && trigger !== null) return limit ? 'stop-limit' : 'stop';
  if (type.startsWith('stop')) return limit ? 'stop-limit' : 'stop';
  return limit ? 'limit' : 'market';
}

const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * A core Order from ccxt's unified order, with the platform `symbol` it was placed under. Throws ValidationError
 * (DATA_INVALID) when the venue's answer does not make a consistent order (fills beyond the quantity, a filled order
 * with no fill price…), naming each field.
 */
export function ccxtOrderToOrder(order: Ccxt.Order, symbol: string, exchange: string, now: number): Order {
  const amount = finite(order.amount) ?? 0;
  const filled = finite(order.filled) ?? 0;
  const type = typeOf(order);
  const cost = finite(order.cost);
  const average = finite(order.average) ?? (filled > 0 && cost !== undefined && cost > 0 ? cost / filled : undefined);
  const createdAt = finite(order.timestamp) ?? now;
  const updatedAt = Math.max(
    createdAt,
    finite(order.lastUpdateTimestamp) ?? finite(order.lastTradeTimestamp) ?? createdAt,
  );
  const timeInForce = (order.timeInForce === 'PO' ? 'GTC' : order.timeInForce) ?? DEFAULT_TIME_IN_FORCE;
  const trigger = finite(order.triggerPrice) ?? finite(order.stopPrice);
  const price = finite(order.price);
  const status = statusOf(order, filled, amount);
  const mapped: Order = {
    id: order.id ?? '',
    clientOrderId: order.clientOrderId ?? order.id ?? '',
    symbol,
    side: order.side === 'sell' ? 'sell' : 'buy',
    type,
    quantity: amount,
    ...(orderTypeTakesPrice(type) && price !== undefined ? { price } : {}),
    ...(orderTypeTakesStopPrice(type) && trigger !== undefined ? { stopPrice: trigger } : {}),
    timeInForce: isTimeInForce(timeInForce) ? timeInForce : DEFAULT_TIME_IN_FORCE,
    status,
    filledQuantity: status === 'filled' ? amount : filled,
    averageFillPrice: filled > 0 && average !== undefined ? average : null,
    createdAt,
    updatedAt,
    ...(order.reduceOnly === true ? { reduceOnly: true } : {}),
  };
  const problems = validateOrder(mapped);
  if (problems.length > 0)
    throw new ValidationError(`${exchange} order ${JSON.stringify(order.id)}`, problems, 'DATA_INVALID');
  return mapped;
}
