import { positionMarketValue, unrealizedPnl, type TradingPosition } from '../positions/trading-position';

/** The account valued at marks, in the quote currency. */
export interface PortfolioValuation {
  cash: number;
  /** cash + Σ positions at mark. */
  equity: number;
  /** Σ quantity × mark (shorts negative). */
  positionsValue: number;
  /** Σ |quantity| × mark. */
  grossExposure: number;
  /** Σ quantity × mark. */
  netExposure: number;
  /** gross exposure / equity; 0 without exposure, Number.MAX_VALUE with exposure and no positive equity. */
  leverage: number;
  realizedPnl: number;
  unrealizedPnl: number;
  feesPaid: number;
}

/**
 * Values the account. A position without a mark is valued at its average price (what it cost), so a fill with no
 * market data since is neither a gain nor a loss. Pure.
 */
export function valuePortfolio(
  cash: number,
  positions: Iterable<TradingPosition>,
  marks: Readonly<Record<string, number>>,
): PortfolioValuation {
  let positionsValue = 0;
  let grossExposure = 0;
  let realized = 0;
  let unrealized = 0;
  let fees = 0;
  for (const position of positions) {
    realized += position.realizedPnl;
    fees += position.feesPaid;
    if (position.quantity === 0) continue;
    const mark = marks[position.symbol] ?? position.averagePrice;
    const value = positionMarketValue(position, mark);
    positionsValue += value;
    grossExposure += Math.abs(value);
    unrealized += unrealizedPnl(position, mark);
  }
  const equity = cash + positionsValue;
  let leverage = 0;
  if (grossExposure > 0) leverage = equity > 0 ? grossExposure / equity : Number.MAX_VALUE;
  return {
    cash,
    equity,
    positionsValue,
    grossExposure,
    netExposure: positionsValue,
    leverage,
    realizedPnl: realized,
    unrealizedPnl: unrealized,
    feesPaid: fees,
  };
}
