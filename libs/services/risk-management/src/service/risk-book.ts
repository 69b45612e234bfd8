import { ValidationError, type Position } from '@rrr/core';
import type { EquityPoint } from '../period-losses';
import type { RiskPosition } from '../risk-snapshot';

/** A position as the trading engine publishes it: a core Position plus the fees its fills paid. */
export interface BookPosition extends RiskPosition {
  averagePrice: number;
  realizedPnl: number;
  feesPaid: number;
}

export interface RiskBookOptions {
  /** Cash the account started with, in the account currency: paper.initialCash, or trading.capital on a real venue. */
  initialCash: number;
  /** Least time between two points of the equity history; default 60,000 ms (the portfolio snapshots' cadence). */
  sampleEveryMs?: number;
  /** Points kept; default 50,000 (a month of one-minute samples). */
  maxHistory?: number;
}

/** What the book is restored from on start: the stored positions and equity history. */
export interface RiskBookState {
  positions: readonly (BookPosition & { markPrice?: number | null })[];
  equityHistory: readonly EquityPoint[];
}

/**
 * The account as risk sees it from the outside: positions from `position` events, marks from market data, and the
 * equity that follows, equity = initial cash + Σ (realized P&L − fees + quantity × (mark − average price)) — the
 * same identity the trading engine's portfolio keeps. Risk needs no ledger of its own, so it can run next to the
 * engine or in another process on the same bus.
 */
export class RiskBook {
  readonly initialCash: number;
  private readonly sampleEveryMs: number;
  private readonly maxHistory: number;
  private readonly positionBook = new Map<string, BookPosition>();
  private readonly markBook: Record<string, number> = {};
  private history: EquityPoint[] = [];
  private peak: number;

  constructor(options: RiskBookOptions) {
    if (!(options.initialCash >= 0) || !Number.isFinite(options.initialCash)) {
      throw new ValidationError('risk book', [
        { field: 'initialCash', message: 'must be a finite amount >= 0', value: options.initialCash },
      ]);
    }
    this.initialCash = options.initialCash;
    this.sampleEveryMs = options.sampleEveryMs ?? 60_000;
    this.maxHistory = options.maxHistory ?? 50_000;
    this.peak = options.initialCash;
  }

  restore(state: RiskBookState): void {
    this.positionBook.clear();
    for (const p of state.positions) {
      this.applyPosition(p);
      if (p.markPrice != null && p.markPrice > 0) this.markBook[p.symbol] = p.markPrice;
    }
    this.history = state.equityHistory.slice(-this.maxHistory);
    this.peak = this.history.reduce((peak, h) => Math.max(peak, h.equity), Math.max(this.initialCash, this.equity()));
  }

  /** Takes a published position (`feesPaid` counts as 0 when the publisher does not report it). */
  applyPosition(
    position: Pick<Position, 'symbol' | 'quantity' | 'averagePrice' | 'realizedPnl'> & { feesPaid?: number },
  ): void {
    this.positionBook.set(position.symbol, {
      symbol: position.symbol,
      quantity: position.quantity,
      averagePrice: position.averagePrice,
      realizedPnl: position.realizedPnl,
      feesPaid: position.feesPaid ?? 0,
    });
    // Until a price arrives, the position is worth what it cost.
    if (position.quantity !== 0 && this.markBook[position.symbol] === undefined && position.averagePrice > 0) {
      this.markBook[position.symbol] = position.averagePrice;
    }
  }

  mark(symbol: string, price: number): void {
    if (price > 0 && Number.isFinite(price)) this.markBook[symbol] = price;
  }

  holds(symbol: string): boolean {
    return (this.positionBook.get(symbol)?.quantity ?? 0) !== 0;
  }

  openPositions(): BookPosition[] {
    return [...this.positionBook.values()].filter((p) => p.quantity !== 0).map((p) => ({ ...p }));
  }

  marks(): Record<string, number> {
    return { ...this.markBook };
  }

  equity(): number {
    let equity = this.initialCash;
    for (const p of this.positionBook.values()) {
      equity += p.realizedPnl - p.feesPaid;
      if (p.quantity !== 0) equity += p.quantity * ((this.markBook[p.symbol] ?? p.averagePrice) - p.averagePrice);
    }
    return equity;
  }

  /** Equity minus the market value of the positions. */
  cash(): number {
    let value = 0;
    for (const p of this.positionBook.values()) value += p.quantity * (this.markBook[p.symbol] ?? p.averagePrice);
    return this.equity() - value;
  }

  /** Highest equity seen, the history and the current equity included. */
  peakEquity(): number {
    return Math.max(this.peak, this.equity());
  }

  /** Appends the equity at `ts` when the last point is at least `sampleEveryMs` old; returns the point if added. */
  record(ts: number): EquityPoint | undefined {
    const equity = this.equity();
    if (equity > this.peak) this.peak = equity;
    const last = this.history[this.history.length - 1];
    if (last !== undefined && ts - last.ts < this.sampleEveryMs) return undefined;
    const point = { ts, equity };
    this.recordPoint(point);
    return point;
  }

  /** Appends a known equity observation (it must not be older than the last point). */
  recordPoint(point: EquityPoint): void {
    const last = this.history[this.history.length - 1];
    if (last !== undefined && point.ts < last.ts) return;
    if (last !== undefined && point.ts === last.ts) this.history[this.history.length - 1] = { ...point };
    else this.history.push({ ...point });
    if (this.history.length > this.maxHistory) this.history.splice(0, this.history.length - this.maxHistory);
  }

  /** The sampled history, ascending; read-only use. */
  equityHistory(): readonly EquityPoint[] {
    return this.history;
  }
}
