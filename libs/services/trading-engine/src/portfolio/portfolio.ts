import { ValidationError, type Fill } from '@rrr/core';
import { applyFill } from '../positions/apply-fill';
import { positionMarketValue, type TradingPosition } from '../positions/trading-position';
import { applyFillToBalances, type Balances } from './balances';
import { equityReturns, type EquityObservation, type PeriodReturn } from './equity-returns';
import { valuePortfolio, type PortfolioValuation } from './portfolio-valuation';

/** A row of portfolio_snapshots: the valuation at `ts`, the drawdown from the peak, and the open positions. */
export interface PortfolioSnapshot extends PortfolioValuation {
  ts: number;
  /** (peak equity − equity) / peak equity, 0 at a new peak. */
  drawdown: number;
  positions: TradingPosition[];
}

export interface PortfolioOptions {
  /** The account currency: cash is the balance in it, and every traded symbol is quoted in it. */
  quoteCurrency: string;
  initialCash: number;
  /** Equity observations kept for the returns series and the loss limits (oldest dropped first). Default 100,000. */
  maxHistory?: number;
}

/** What a restart gives back to a portfolio: the stored ledger, positions and (optionally) marks and history. */
export interface PortfolioState {
  balances: Balances;
  positions: readonly TradingPosition[];
  marks?: Readonly<Record<string, number>>;
  equityHistory?: readonly EquityObservation[];
}

/**
 * The account as the engine keeps it: balances per currency (a ledger both sides of every fill move), positions with
 * average cost and P&L, last marks, and an equity history. It owns state but does no I/O: whoever applies a fill
 * persists what `applyFill` reports changed.
 */
export class Portfolio {
  readonly quoteCurrency: string;
  readonly initialCash: number;
  private readonly maxHistory: number;
  private balanceBook: Balances;
  private readonly positionBook = new Map<string, TradingPosition>();
  /**
   * The same positions in the book's order, as an array: valuing the account every bar walks this instead of a Map
   * iterator. Entries are replaced in place, so the order (and every sum over it) stays the Map's.
   */
  private readonly positionList: TradingPosition[] = [];
  private readonly positionSlot = new Map<string, number>();
  private readonly markBook: Record<string, number> = {};
  private history: EquityObservation[] = [];
  private peakEquity: number;

  constructor(options: PortfolioOptions) {
    if (!(options.initialCash >= 0) || !Number.isFinite(options.initialCash)) {
      throw new ValidationError('portfolio', [
        { field: 'initialCash', message: 'must be a finite amount >= 0', value: options.initialCash },
      ]);
    }
    this.quoteCurrency = options.quoteCurrency;
    this.initialCash = options.initialCash;
    this.maxHistory = options.maxHistory ?? 100_000;
    this.balanceBook = { [options.quoteCurrency]: options.initialCash };
    this.peakEquity = options.initialCash;
  }

  /** Replaces the whole state with what was stored (crash recovery). */
  restore(state: PortfolioState): void {
    this.balanceBook = { ...state.balances };
    if (this.balanceBook[this.quoteCurrency] === undefined) this.balanceBook[this.quoteCurrency] = 0;
    this.positionBook.clear();
    this.positionList.length = 0;
    this.positionSlot.clear();
    for (const p of state.positions) this.setPosition({ ...p });
    for (const key of Object.keys(this.markBook)) delete this.markBook[key];
    Object.assign(this.markBook, state.marks ?? {});
    this.history = [...(state.equityHistory ?? [])];
    this.peakEquity = this.history.reduce(
      (peak, h) => Math.max(peak, h.equity),
      Math.max(this.initialCash, this.valuation().equity),
    );
  }

  get cash(): number {
    return this.balanceBook[this.quoteCurrency] ?? 0;
  }

  balances(): Balances {
    return { ...this.balanceBook };
  }

  balance(currency: string): number {
    return this.balanceBook[currency] ?? 0;
  }

  position(symbol: string): TradingPosition | undefined {
    return this.positionBook.get(symbol);
  }

  /** Signed quantity held in `symbol` (0 when none). */
  quantity(symbol: string): number {
    return this.positionBook.get(symbol)?.quantity ?? 0;
  }

  /** Every position ever held, flat ones included (their realized P&L stays). */
  positions(): TradingPosition[] {
    return this.positionList.map((p) => ({ ...p }));
  }

  /** Open positions themselves, not copies (read-only use on hot paths such as per-order risk checks). */
  openPositionsView(): readonly TradingPosition[] {
    const open: TradingPosition[] = [];
    for (const p of this.positionList) if (p.quantity !== 0) open.push(p);
    return open;
  }

  marks(): Record<string, number> {
    return { ...this.markBook };
  }

  markOf(symbol: string): number | undefined {
    return this.markBook[symbol];
  }

  /** Sets the last price of `symbol`. */
  mark(symbol: string, price: number): void {
    this.markBook[symbol] = price;
  }

  /**
   * Applies a fill to its position and to the balances of both assets and the fee currency. Returns the new position
   * (a fresh object the portfolio never mutates) and the new amount of each currency the fill moved.
   */
  applyFill(fill: Fill): { position: TradingPosition; balances: Array<{ currency: string; amount: number }> } {
    const position = applyFill(this.positionBook.get(fill.symbol), fill);
    this.setPosition(position);
    const { balances, changed } = applyFillToBalances(this.balanceBook, fill);
    this.balanceBook = balances;
    if (this.markBook[fill.symbol] === undefined) this.markBook[fill.symbol] = fill.price;
    return { position, balances: changed.map((currency) => ({ currency, amount: balances[currency] })) };
  }

  /** valuation().equity without the rest of the valuation (the engine records it every bar). */
  equity(): number {
    // Summed in valuePortfolio's order, so both give the same figure to the last bit.
    let positionsValue = 0;
    for (const position of this.positionList) {
      if (position.quantity !== 0) {
        positionsValue += positionMarketValue(position, this.markBook[position.symbol] ?? position.averagePrice);
      }
    }
    return this.cash + positionsValue;
  }

  valuation(): PortfolioValuation {
    return valuePortfolio(this.cash, this.positionList, this.markBook);
  }

  private setPosition(position: TradingPosition): void {
    const slot = this.positionSlot.get(position.symbol);
    if (slot === undefined) {
      this.positionSlot.set(position.symbol, this.positionList.length);
      this.positionList.push(position);
    } else {
      this.positionList[slot] = position;
    }
    this.positionBook.set(position.symbol, position);
  }

  /** Appends the current equity at `ts` to the history (replacing an observation at the same ts). */
  recordEquity(ts: number): EquityObservation {
    const point = { ts, equity: this.equity() };
    const last = this.history[this.history.length - 1];
    if (last !== undefined && last.ts === ts) this.history[this.history.length - 1] = point;
    else this.history.push(point);
    if (this.history.length > this.maxHistory) this.history.splice(0, this.history.length - this.maxHistory);
    if (point.equity > this.peakEquity) this.peakEquity = point.equity;
    return point;
  }

  equityHistory(): EquityObservation[] {
    return [...this.history];
  }

  /** The history itself, not a copy: for per-order risk checks, which must not copy it every time. */
  equityHistoryView(): readonly EquityObservation[] {
    return this.history;
  }

  /** Simple returns between consecutive equity observations. */
  returns(): PeriodReturn[] {
    return equityReturns(this.history);
  }

  /** The valuation at `ts` with drawdown and open positions (what portfolio_snapshots stores). */
  snapshot(ts: number): PortfolioSnapshot {
    const valuation = this.valuation();
    const peak = Math.max(this.peakEquity, valuation.equity);
    return {
      ts,
      ...valuation,
      drawdown: peak > 0 ? (peak - valuation.equity) / peak : 0,
      positions: this.positions().filter((p) => p.quantity !== 0),
    };
  }
}
