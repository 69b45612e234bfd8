import type { Fill } from '@rrr/core';

export type TradeDirection = 'long' | 'short';

/** Why a round trip ended: a strategy signal, a bracket exit, or not at all (still open when the data ran out). */
export type TradeExitReason = 'signal' | 'stop-loss' | 'take-profit' | 'open';

/**
 * One round trip: from flat to a position and back to flat (a fill that flips the position closes one trip and opens
 * the next with the rest of its quantity). What backtest_trades stores, one row each.
 */
export interface RoundTrip {
  symbol: string;
  direction: TradeDirection;
  /** Base units opened over the trip (Σ of the opening fills). */
  quantity: number;
  /** Time of the first opening fill. */
  entryTs: number;
  /** Quantity-weighted average price of the opening fills. */
  entryPrice: number;
  /** Time of the last closing fill; null while open. */
  exitTs: number | null;
  /** Quantity-weighted average price of the closing fills; null while open. */
  exitPrice: number | null;
  /** direction × (exit notional − entry notional) − fees; null while open. */
  pnl: number | null;
  /** pnl / entry notional; null while open. */
  returnFraction: number | null;
  /** Every fee of the trip's fills (pro rata for a fill that also opened the next trip). */
  fees: number;
  exitReason: TradeExitReason;
  /** Account equity at the last bar close before the entry: pnl / equityAtEntry is the trip's effect on the account. */
  equityAtEntry: number;
  /** Open trips: the last close, and the P&L at it net of the fees paid so far. */
  markPrice?: number;
  unrealizedPnl?: number;
}

interface OpenTrip {
  symbol: string;
  direction: TradeDirection;
  sign: 1 | -1;
  /** Signed quantity held now. */
  position: number;
  openedQuantity: number;
  entryNotional: number;
  closedQuantity: number;
  exitNotional: number;
  fees: number;
  entryTs: number;
  exitTs: number;
  equityAtEntry: number;
  /** Price of the only opening / closing fill (null once there were several): kept exact, not re-derived. */
  entryFillPrice: number | null;
  exitFillPrice: number | null | undefined;
}

/** Residual quantity treated as flat, relative to the quantities involved (0.1 + 0.2 − 0.3 is not a position). */
const FLAT_TOLERANCE = 1e-9;

/**
 * Builds round trips from fills in the order they were applied. It reproduces the position arithmetic of the
 * trading engine (signed quantity, flat within a relative tolerance, a crossing fill closes then reopens), so a trip
 * ends exactly when the portfolio's position does.
 */
export class RoundTripLedger {
  private readonly open = new Map<string, OpenTrip>();
  private readonly closed: RoundTrip[] = [];

  /**
   * Applies one fill. `exitReason` names what a closing fill was (the order's bracket role, else a signal);
   * `equityBefore` is the account's equity at the last close before this fill.
   */
  apply(fill: Fill, exitReason: Exclude<TradeExitReason, 'open'>, equityBefore: number): void {
    const delta = fill.side === 'buy' ? fill.quantity : -fill.quantity;
    const trip = this.open.get(fill.symbol);
    if (trip === undefined) {
      this.start(fill, fill.quantity, fill.fee, equityBefore);
      return;
    }
    if (Math.sign(delta) === trip.sign) {
      trip.position += delta;
      trip.openedQuantity += fill.quantity;
      trip.entryNotional += fill.quantity * fill.price;
      trip.fees += fill.fee;
      trip.entryFillPrice = null;
      return;
    }
    const held = Math.abs(trip.position);
    const closing = Math.min(fill.quantity, held);
    const closingFee = fill.fee * (closing / fill.quantity);
    trip.closedQuantity += closing;
    trip.exitNotional += closing * fill.price;
    trip.fees += closingFee;
    trip.exitTs = fill.ts;
    trip.exitFillPrice = trip.exitFillPrice === undefined ? fill.price : null;
    trip.position += trip.sign * -closing;
    const rest = fill.quantity - closing;
    const flat = Math.abs(trip.position) <= FLAT_TOLERANCE * Math.max(held, fill.quantity);
    if (!flat) return;
    this.open.delete(fill.symbol);
    this.closed.push(finish(trip, exitReason));
    if (rest > FLAT_TOLERANCE * fill.quantity) this.start(fill, rest, fill.fee - closingFee, equityBefore);
  }

  /** Closed trips in the order they closed. */
  closedTrips(): RoundTrip[] {
    return [...this.closed];
  }

  /** Trips still open, marked at `marks` (a symbol without a mark is marked at its entry price). */
  openTrips(marks: Readonly<Record<string, number>>): RoundTrip[] {
    return [...this.open.values()].map((trip) => {
      const entryPrice = trip.entryFillPrice ?? trip.entryNotional / trip.openedQuantity;
      const mark = marks[trip.symbol] ?? entryPrice;
      const unrealized =
        trip.sign * (trip.exitNotional + Math.abs(trip.position) * mark - trip.entryNotional) - trip.fees;
      return {
        symbol: trip.symbol,
        direction: trip.direction,
        quantity: trip.openedQuantity,
        entryTs: trip.entryTs,
        entryPrice,
        exitTs: null,
        exitPrice: null,
        pnl: null,
        returnFraction: null,
        fees: trip.fees,
        exitReason: 'open',
        equityAtEntry: trip.equityAtEntry,
        markPrice: mark,
        unrealizedPnl: unrealized,
      };
    });
  }

  private start(fill: Fill, quantity: number, fee: number, equityBefore: number): void {
    const sign = fill.side === 'buy' ? 1 : -1;
    this.open.set(fill.symbol, {
      symbol: fill.symbol,
      direction: sign === 1 ? 'long' : 'short',
      sign,
      position: sign * quantity,
      openedQuantity: quantity,
      entryNotional: quantity * fill.price,
      closedQuantity: 0,
      exitNotional: 0,
      fees: fee,
      entryTs: fill.ts,
      exitTs: fill.ts,
      equityAtEntry: equityBefore,
      entryFillPrice: fill.price,
      exitFillPrice: undefined,
    });
  }
}

function finish(trip: OpenTrip, exitReason: TradeExitReason): RoundTrip {
  const pnl = trip.sign * (trip.exitNotional - trip.entryNotional) - trip.fees;
  return {
    symbol: trip.symbol,
    direction: trip.direction,
    quantity: trip.openedQuantity,
    entryTs: trip.entryTs,
    entryPrice: trip.entryFillPrice ?? trip.entryNotional / trip.openedQuantity,
    exitTs: trip.exitTs,
    exitPrice: trip.exitFillPrice ?? trip.exitNotional / trip.closedQuantity,
    pnl,
    returnFraction: trip.entryNotional > 0 ? pnl / trip.entryNotional : 0,
    fees: trip.fees,
    exitReason,
    equityAtEntry: trip.equityAtEntry,
  };
}
