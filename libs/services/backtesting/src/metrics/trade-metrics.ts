import { mean, sampleStandardDeviation } from 'simple-statistics';

/** What trade statistics read of one CLOSED round trip. */
export interface ClosedTradeResult {
  /** Money made net of every fee of the trip. */
  pnl: number;
  /** pnl / entry notional. */
  returnFraction: number;
  entryTs: number;
  exitTs: number;
}

/**
 * Statistics over CLOSED round trips only (flat → position → flat; a flip closes one trip and opens the next), in
 * exit order. The legacy system counted buy fills as "trades" and wins among them; here a trade is a round trip and
 * a win is a trip whose P&L net of fees is > 0 (a break-even trip is neither a win nor a loss and breaks both streaks).
 * Undefined ratios are null.
 */
export interface TradeMetrics {
  closedTrades: number;
  winningTrades: number;
  losingTrades: number;
  /** winners / closed trades. */
  winRate: number | null;
  /** Σ P&L of winners / |Σ P&L of losers|; null without a losing trade. */
  profitFactor: number | null;
  /** Mean P&L per closed trade (money). */
  expectancy: number | null;
  /** Mean return per closed trade (fraction of the entry notional). */
  expectancyReturn: number | null;
  /**
   * System quality number (Van Tharp): √N × mean(R) / sd(R) with R the trades' returns on entry notional (a stand-in
   * for R-multiples, since not every strategy has an initial risk) and the sample deviation; no cap on N.
   */
  sqn: number | null;
  /** Mean P&L of the winners; null without one. */
  averageWin: number | null;
  /** Mean P&L of the losers (negative); null without one. */
  averageLoss: number | null;
  /** averageWin / |averageLoss|. */
  payoffRatio: number | null;
  bestTrade: number | null;
  worstTrade: number | null;
  bestTradeReturn: number | null;
  worstTradeReturn: number | null;
  maxConsecutiveWins: number;
  maxConsecutiveLosses: number;
  /** Mean time from entry to exit. */
  averageHoldingMs: number | null;
}

export function tradeMetrics(trades: readonly ClosedTradeResult[]): TradeMetrics {
  const n = trades.length;
  const pnls = trades.map((t) => t.pnl);
  const returns = trades.map((t) => t.returnFraction);
  const wins = pnls.filter((p) => p > 0);
  const losses = pnls.filter((p) => p < 0);
  const grossProfit = wins.reduce((s, p) => s + p, 0);
  const grossLoss = losses.reduce((s, p) => s + p, 0);
  let streakWins = 0;
  let streakLosses = 0;
  let maxWins = 0;
  let maxLosses = 0;
  for (const p of pnls) {
    streakWins = p > 0 ? streakWins + 1 : 0;
    streakLosses = p < 0 ? streakLosses + 1 : 0;
    maxWins = Math.max(maxWins, streakWins);
    maxLosses = Math.max(maxLosses, streakLosses);
  }
  const averageWin = wins.length > 0 ? grossProfit / wins.length : null;
  const averageLoss = losses.length > 0 ? grossLoss / losses.length : null;
  const sd = n >= 2 ? sampleStandardDeviation(returns) : 0;
  return {
    closedTrades: n,
    winningTrades: wins.length,
    losingTrades: losses.length,
    winRate: n > 0 ? wins.length / n : null,
    profitFactor: grossLoss < 0 ? grossProfit / -grossLoss : null,
    expectancy: n > 0 ? mean(pnls) : null,
    expectancyReturn: n > 0 ? mean(returns) : null,
    sqn: sd > 0 ? (Math.sqrt(n) * mean(returns)) / sd : null,
    averageWin,
    averageLoss,
    payoffRatio: averageWin !== null && averageLoss !== null ? averageWin / -averageLoss : null,
    bestTrade: n > 0 ? Math.max(...pnls) : null,
    worstTrade: n > 0 ? Math.min(...pnls) : null,
    bestTradeReturn: n > 0 ? Math.max(...returns) : null,
    worstTradeReturn: n > 0 ? Math.min(...returns) : null,
    maxConsecutiveWins: maxWins,
    maxConsecutiveLosses: maxLosses,
    averageHoldingMs: n > 0 ? mean(trades.map((t) => t.exitTs - t.entryTs)) : null,
  };
}
