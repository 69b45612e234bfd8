import type { Fill, FillLiquidity, OrderSide, OrderStatus, OrderType, SqlValue, TimeInForce } from '@rrr/core';
import type { BracketRole, OmsOrder } from '../orders/oms-order';
import { bracketOfFingerprint } from '../orders/order-request-fingerprint';
import type { TradingPosition } from '../positions/trading-position';

/** An orders row as the drivers return it. */
export interface OrderRow {
  id: string;
  client_order_id: string;
  exchange_order_id: string | null;
  strategy_id: string | null;
  venue: string | null;
  symbol: string;
  side: string;
  type: string;
  time_in_force: string;
  quantity: number;
  price: number | null;
  stop_price: number | null;
  trailing_percent: number | null;
  trailing_amount: number | null;
  reduce_only: number;
  parent_id: string | null;
  bracket_role: string | null;
  status: string;
  filled_quantity: number;
  average_fill_price: number | null;
  reject_reason: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  expires_at: number | null;
  triggered_at: number | null;
  trailing_reference: number | null;
  request_fingerprint: string | null;
}

export const ORDER_COLUMNS = [
  'id',
  'client_order_id',
  'exchange_order_id',
  'strategy_id',
  'venue',
  'symbol',
  'side',
  'type',
  'time_in_force',
  'quantity',
  'price',
  'stop_price',
  'trailing_percent',
  'trailing_amount',
  'reduce_only',
  'parent_id',
  'bracket_role',
  'status',
  'filled_quantity',
  'average_fill_price',
  'reject_reason',
  'created_at',
  'updated_at',
  'version',
  'expires_at',
  'triggered_at',
  'trailing_reference',
  'request_fingerprint',
] as const;

/** Appends one order's insert parameters (ORDER_COLUMNS order) to `out`: multi-row inserts build one array. */
export function pushOrderInsertParams(out: SqlValue[], o: OmsOrder): void {
  out.push(
    o.id,
    o.clientOrderId,
    o.exchangeOrderId,
    o.strategyId,
    o.venue,
    o.symbol,
    o.side,
    o.type,
    o.timeInForce,
    o.quantity,
    o.price,
    o.stopPrice,
    o.trailingPercent,
    o.trailingAmount,
    o.reduceOnly === true,
    o.parentId,
    o.bracketRole,
    o.status,
    o.filledQuantity,
    o.averageFillPrice,
    o.rejectReason,
    o.createdAt,
    o.updatedAt,
    o.version,
    o.expiresAt,
    o.triggeredAt,
    o.trailingReference,
    o.requestFingerprint,
  );
}

/** The columns an update may change, in the order of orderUpdateParams. */
export const ORDER_UPDATE_COLUMNS = [
  'exchange_order_id',
  'quantity',
  'price',
  'stop_price',
  'trailing_percent',
  'trailing_amount',
  'status',
  'filled_quantity',
  'average_fill_price',
  'reject_reason',
  'updated_at',
  'version',
  'expires_at',
  'triggered_at',
  'trailing_reference',
] as const;

/** SQL types of ORDER_UPDATE_COLUMNS, for the casts a multi-row VALUES list needs on PostgreSQL. */
export const ORDER_UPDATE_TYPES: Readonly<Record<(typeof ORDER_UPDATE_COLUMNS)[number], string>> = {
  exchange_order_id: 'TEXT',
  quantity: 'DOUBLE PRECISION',
  price: 'DOUBLE PRECISION',
  stop_price: 'DOUBLE PRECISION',
  trailing_percent: 'DOUBLE PRECISION',
  trailing_amount: 'DOUBLE PRECISION',
  status: 'TEXT',
  filled_quantity: 'DOUBLE PRECISION',
  average_fill_price: 'DOUBLE PRECISION',
  reject_reason: 'TEXT',
  updated_at: 'BIGINT',
  version: 'INTEGER',
  expires_at: 'BIGINT',
  triggered_at: 'BIGINT',
  trailing_reference: 'DOUBLE PRECISION',
};

/** The values an update writes, in ORDER_UPDATE_COLUMNS order. */
function pushOrderUpdateValues(out: SqlValue[], o: OmsOrder): void {
  out.push(
    o.exchangeOrderId,
    o.quantity,
    o.price,
    o.stopPrice,
    o.trailingPercent,
    o.trailingAmount,
    o.status,
    o.filledQuantity,
    o.averageFillPrice,
    o.rejectReason,
    o.updatedAt,
    o.version,
    o.expiresAt,
    o.triggeredAt,
    o.trailingReference,
  );
}

/** Appends the id, the expected version and the new values (ORDER_UPDATE_COLUMNS order): one multi-row VALUES row. */
export function pushOrderUpdateRow(out: SqlValue[], o: OmsOrder, expectedVersion: number): void {
  out.push(o.id, expectedVersion);
  pushOrderUpdateValues(out, o);
}

/** SET values followed by the WHERE id and expected version. */
export function orderUpdateParams(o: OmsOrder, expectedVersion: number): SqlValue[] {
  const params: SqlValue[] = [];
  pushOrderUpdateValues(params, o);
  params.push(o.id, expectedVersion);
  return params;
}

/** Sets only the fields the row has, so a read-back order equals the written one field for field. */
export function rowToOrder(row: OrderRow): OmsOrder {
  const order: OmsOrder = {
    id: row.id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    side: row.side as OrderSide,
    type: row.type as OrderType,
    timeInForce: row.time_in_force as TimeInForce,
    quantity: row.quantity,
    status: row.status as OrderStatus,
    filledQuantity: row.filled_quantity,
    averageFillPrice: row.average_fill_price,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
    venue: row.venue ?? 'unknown',
    requestFingerprint: row.request_fingerprint ?? '',
  };
  if (row.price !== null) order.price = row.price;
  if (row.stop_price !== null) order.stopPrice = row.stop_price;
  if (row.trailing_percent !== null) order.trailingPercent = row.trailing_percent;
  if (row.trailing_amount !== null) order.trailingAmount = row.trailing_amount;
  if (Number(row.reduce_only) === 1) order.reduceOnly = true;
  if (row.reject_reason !== null) order.rejectReason = row.reject_reason;
  if (row.exchange_order_id !== null) order.exchangeOrderId = row.exchange_order_id;
  if (row.strategy_id !== null) order.strategyId = row.strategy_id;
  if (row.parent_id !== null) order.parentId = row.parent_id;
  if (row.bracket_role !== null) order.bracketRole = row.bracket_role as BracketRole;
  if (row.expires_at !== null) order.expiresAt = Number(row.expires_at);
  if (row.triggered_at !== null) order.triggeredAt = Number(row.triggered_at);
  if (row.trailing_reference !== null) order.trailingReference = row.trailing_reference;
  if (row.request_fingerprint !== null && row.parent_id === null) {
    const bracket = bracketOfFingerprint(row.request_fingerprint);
    if (bracket !== undefined) order.bracket = bracket;
  }
  return order;
}

export interface FillRow {
  id: string;
  order_id: string;
  symbol: string;
  side: string;
  quantity: number;
  price: number;
  fee: number;
  fee_currency: string | null;
  liquidity: string | null;
  ts: number;
  client_order_id: string | null;
}

export function rowToFill(row: FillRow): Fill {
  return {
    id: row.id,
    orderId: row.order_id,
    ...(row.client_order_id === null ? {} : { clientOrderId: row.client_order_id }),
    symbol: row.symbol,
    side: row.side as OrderSide,
    quantity: row.quantity,
    price: row.price,
    fee: row.fee,
    feeCurrency: row.fee_currency ?? '',
    liquidity: (row.liquidity ?? 'taker') as FillLiquidity,
    ts: Number(row.ts),
  };
}

export interface PositionRow {
  symbol: string;
  quantity: number;
  average_entry_price: number;
  realized_pnl: number;
  fees_paid: number;
  mark_price: number | null;
  opened_at: number | null;
  updated_at: number;
}

export function rowToPosition(row: PositionRow): TradingPosition {
  return {
    symbol: row.symbol,
    quantity: row.quantity,
    averagePrice: row.average_entry_price,
    realizedPnl: row.realized_pnl,
    feesPaid: row.fees_paid,
    openedAt: Number(row.opened_at ?? row.updated_at),
    updatedAt: Number(row.updated_at),
  };
}
