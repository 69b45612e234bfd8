import { signedQuantity, ValidationError, type Fill } from '@rrr/core';
import { flatPosition, type TradingPosition } from './trading-position';
import { symbolParts } from '../portfolio/symbol-parts';

/**
 * What is left of a position after closing it exactly, relative to the quantities involved: 0.1 + 0.2 − 0.3 is
 * 5.5e-17, not a tiny open position with a meaningless average price.
 */
const FLAT_TOLERANCE = 1e-9;

/**
 * The position after one fill. Average cost: adding to a position re-averages the entry price; reducing realizes
 * (fill price − average) × closed quantity in the position's direction and keeps the average; closing exactly goes
 * flat (average 0); going through zero realizes the whole old position and opens the rest at the fill price, with
 * openedAt = the fill's ts. Fees charged in the symbol's quote currency add to feesPaid and never to realizedPnl.
 * Pure: returns a new object.
 */
export function applyFill(position: TradingPosition | undefined, fill: Fill): TradingPosition {
  const current = position ?? flatPosition(fill.symbol, fill.ts);
  if (current.symbol !== fill.symbol) {
    throw new ValidationError('fill', [
      { field: 'symbol', message: `must be the position's symbol ${current.symbol}`, value: fill.symbol },
    ]);
  }
  const q0 = current.quantity;
  const delta = signedQuantity(fill.side, fill.quantity);
  const quoteFee = fill.feeCurrency === symbolParts(fill.symbol).quote ? fill.fee : 0;
  const feesPaid = current.feesPaid + quoteFee;
  const updatedAt = Math.max(fill.ts, current.updatedAt);

  if (q0 === 0 || Math.sign(delta) === Math.sign(q0)) {
    const q1 = q0 + delta;
    const averagePrice = (Math.abs(q0) * current.averagePrice + fill.quantity * fill.price) / Math.abs(q1);
    const openedAt = q0 === 0 ? fill.ts : current.openedAt;
    return positionOf(current.symbol, q1, averagePrice, current.realizedPnl, feesPaid, openedAt, updatedAt);
  }

  const direction = Math.sign(q0);
  const closed = Math.min(fill.quantity, Math.abs(q0));
  const realizedPnl = current.realizedPnl + closed * (fill.price - current.averagePrice) * direction;
  const q1 = q0 + delta;
  if (Math.abs(q1) <= FLAT_TOLERANCE * Math.max(Math.abs(q0), fill.quantity)) {
    return positionOf(current.symbol, 0, 0, realizedPnl, feesPaid, current.openedAt, updatedAt);
  }
  if (Math.sign(q1) === direction) {
    return positionOf(current.symbol, q1, current.averagePrice, realizedPnl, feesPaid, current.openedAt, updatedAt);
  }
  return positionOf(current.symbol, q1, fill.price, realizedPnl, feesPaid, fill.ts, updatedAt);
}

/** A position as one object literal (one hidden class for all of them; a spread with overrides builds a new one). */
function positionOf(
  symbol: string,
  quantity: number,
  averagePrice: number,
  realizedPnl: number,
  feesPaid: number,
  openedAt: number,
  updatedAt: number,
): TradingPosition {
  return { symbol, quantity, averagePrice, realizedPnl, feesPaid, openedAt, updatedAt };
}
