import type { Position } from '@rrr/core';

/** A core Position plus the fees its fills paid (in the quote currency), kept apart from the realized P&L. */
export interface TradingPosition extends Position {
  /** Σ fees of this symbol's fills charged in its quote currency; realizedPnl stays before fees, as core defines it. */
  feesPaid: number;
}

export function flatPosition(symbol: string, ts: number): TradingPosition {
  return { symbol, quantity: 0, averagePrice: 0, realizedPnl: 0, feesPaid: 0, openedAt: ts, updatedAt: ts };
}

/** Profit not yet realized at `mark`: quantity × (mark − average price); 0 when flat. */
export function unrealizedPnl(position: Pick<Position, 'quantity' | 'averagePrice'>, mark: number): number {
  return position.quantity === 0 ? 0 : position.quantity * (mark - position.averagePrice);
}

/** Signed value at `mark`: positive for a long, negative for a short. */
export function positionMarketValue(position: Pick<Position, 'quantity'>, mark: number): number {
  return position.quantity * mark;
}
