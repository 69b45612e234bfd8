import { assertValidOrderRequest, ValidationError, type OrderRequest, type TimeInForce } from '@rrr/core';
import { wilderAtr, type AtrBar } from './wilder-atr';

/** The legacy stop parameters (DESIGN.md): fixed 2 % or 2 × ATR(14), take-profit at 3:1 reward/risk. */
export const DEFAULT_STOP_OPTIONS = Object.freeze({
  fixedPct: 0.02,
  atrPeriod: 14,
  atrMultiple: 2,
  rewardRisk: 3,
});

export type PositionDirection = 'long' | 'short';

/** A position that needs protecting: signed quantity (+ long, − short) and its entry (average) price. */
export interface ProtectedPosition {
  symbol: string;
  quantity: number;
  averagePrice: number;
}

export function directionOf(position: Pick<ProtectedPosition, 'quantity'>): PositionDirection {
  if (position.quantity === 0 || !Number.isFinite(position.quantity)) {
    throw new ValidationError('stop', [
      { field: 'quantity', message: 'a stop needs an open position (non-zero quantity)', value: position.quantity },
    ]);
  }
  return position.quantity > 0 ? 'long' : 'short';
}

/** Stop `pct` away from the entry, on the losing side. */
export function fixedStopPrice(
  entryPrice: number,
  direction: PositionDirection,
  pct: number = DEFAULT_STOP_OPTIONS.fixedPct,
): number {
  checkPositive('entryPrice', entryPrice);
  if (!(pct > 0 && pct < 1))
    throw new ValidationError('stop', [{ field: 'pct', message: 'must be in (0, 1)', value: pct }]);
  return direction === 'long' ? entryPrice * (1 - pct) : entryPrice * (1 + pct);
}

/** Stop `multiple` × ATR away from the entry, on the losing side. */
export function atrStopPrice(
  entryPrice: number,
  direction: PositionDirection,
  atr: number,
  multiple: number = DEFAULT_STOP_OPTIONS.atrMultiple,
): number {
  checkPositive('entryPrice', entryPrice);
  checkPositive('atr', atr);
  checkPositive('multiple', multiple);
  const stop = direction === 'long' ? entryPrice - multiple * atr : entryPrice + multiple * atr;
  if (!(stop > 0)) {
    throw new ValidationError('stop', [
      {
        field: 'stopPrice',
        message: `${multiple} × ATR ${atr} below the entry ${entryPrice} is not a price`,
        value: stop,
      },
    ]);
  }
  return stop;
}

/** Take-profit at `rewardRisk` times the entry-to-stop distance, on the winning side. */
export function takeProfitPrice(
  entryPrice: number,
  stopPrice: number,
  rewardRisk: number = DEFAULT_STOP_OPTIONS.rewardRisk,
): number {
  checkPositive('entryPrice', entryPrice);
  checkPositive('stopPrice', stopPrice);
  checkPositive('rewardRisk', rewardRisk);
  if (stopPrice === entryPrice) {
    throw new ValidationError('take profit', [
      { field: 'stopPrice', message: 'must differ from the entry price', value: stopPrice },
    ]);
  }
  const target = entryPrice + rewardRisk * (entryPrice - stopPrice);
  if (!(target > 0)) {
    throw new ValidationError('take profit', [
      { field: 'takeProfit', message: `${rewardRisk}:1 below the entry ${entryPrice} is not a price`, value: target },
    ]);
  }
  return target;
}

export interface ExitOrderOptions {
  timeInForce?: TimeInForce;
  clientOrderId?: string;
}

/**
 * Reduce-only stop order closing the position at `stopPrice`, validated so the OMS receives a well-formed request.
 * The stop may sit on either side of the entry: a trailing or break-even stop locks in profit above a long's entry.
 */
export function stopLossOrder(
  position: Pick<ProtectedPosition, 'symbol' | 'quantity'>,
  stopPrice: number,
  options: ExitOrderOptions = {},
): OrderRequest {
  directionOf(position);
  return exitOrder(position, { type: 'stop', stopPrice }, options);
}

/** Reduce-only limit order taking profit at `limitPrice`. */
export function takeProfitOrder(
  position: ProtectedPosition,
  limitPrice: number,
  options: ExitOrderOptions = {},
): OrderRequest {
  const direction = directionOf(position);
  checkSides(direction, position.averagePrice, limitPrice, 'price', 'above');
  return exitOrder(position, { type: 'limit', price: limitPrice }, options);
}

export type StopMethod =
  | { method: 'fixed'; pct?: number }
  | { method: 'atr'; bars: readonly AtrBar[]; period?: number; multiple?: number };

export interface ProtectiveOrders {
  stopPrice: number;
  takeProfitPrice: number;
  /** Loss per unit if the stop fills at its price. */
  riskPerUnit: number;
  stopLoss: OrderRequest;
  takeProfit: OrderRequest;
}

/**
 * The stop-loss and take-profit for a position, as reduce-only orders for the OMS to submit (as one-cancels-other
 * exits). The stop is fixed-% or ATR-based; the take-profit sits at `rewardRisk` × the stop distance.
 */
export function protectiveOrders(
  position: ProtectedPosition,
  stop: StopMethod = { method: 'fixed' },
  options: { rewardRisk?: number; timeInForce?: TimeInForce } = {},
): ProtectiveOrders {
  const direction = directionOf(position);
  const entry = position.averagePrice;
  const stopPrice =
    stop.method === 'fixed'
      ? fixedStopPrice(entry, direction, stop.pct)
      : atrStopPrice(
          entry,
          direction,
          wilderAtr(stop.bars, stop.period ?? DEFAULT_STOP_OPTIONS.atrPeriod),
          stop.multiple,
        );
  const target = takeProfitPrice(entry, stopPrice, options.rewardRisk);
  return {
    stopPrice,
    takeProfitPrice: target,
    riskPerUnit: Math.abs(entry - stopPrice),
    stopLoss: stopLossOrder(position, stopPrice, { timeInForce: options.timeInForce }),
    takeProfit: takeProfitOrder(position, target, { timeInForce: options.timeInForce }),
  };
}

function exitOrder(
  position: Pick<ProtectedPosition, 'symbol' | 'quantity'>,
  priced: Pick<OrderRequest, 'type' | 'price' | 'stopPrice'>,
  options: ExitOrderOptions,
): OrderRequest {
  const order: OrderRequest = {
    symbol: position.symbol,
    side: position.quantity > 0 ? 'sell' : 'buy',
    quantity: Math.abs(position.quantity),
    ...priced,
    reduceOnly: true,
    timeInForce: options.timeInForce ?? 'GTC',
    ...(options.clientOrderId === undefined ? {} : { clientOrderId: options.clientOrderId }),
  };
  return assertValidOrderRequest(order);
}

/** A stop below the entry of a long (above for a short); a take-profit the other way round. */
function checkSides(
  direction: PositionDirection,
  entry: number,
  price: number,
  field: string,
  longSide: 'below' | 'above',
): void {
  checkPositive('averagePrice', entry);
  const side = direction === 'long' ? longSide : longSide === 'below' ? 'above' : 'below';
  const ok = side === 'below' ? price < entry : price > entry;
  if (!ok) {
    throw new ValidationError('exit order', [
      { field, message: `must be ${side} the entry price ${entry} of a ${direction} position`, value: price },
    ]);
  }
}

function checkPositive(field: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ValidationError('stop', [{ field, message: 'must be a finite number > 0', value }]);
  }
}
