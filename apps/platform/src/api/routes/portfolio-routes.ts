import type { PerformanceMetrics } from '@rrr/backtesting';
import { positionSide, type Database } from '@rrr/core';
import { positionMarketValue, unrealizedPnl, type TradingEngineService } from '@rrr/trading-engine';
import type { FastifyInstance } from 'fastify';
import { errorResponses, limitSchema, listSchema, nullable, timeQuerySchema, timestampSchema } from '../api-schemas';
import { readTimeRange } from '../read-time-range';
import { portfolioPerformance, type EquityPoint } from './portfolio-performance';

export interface PortfolioRoutesDeps {
  trading: TradingEngineService;
  /** portfolio_snapshots, which the trading engine writes, hold the equity curve. */
  db: Database;
}

const EQUITY_LIMIT = { default: 1_000, max: 10_000 };
/** Fills read for round-trip statistics; an account with more is measured on its most recent ones. */
const PERFORMANCE_FILLS_MAX = 100_000;

const positionSchema = {
  type: 'object',
  required: [
    'symbol',
    'side',
    'quantity',
    'averagePrice',
    'markPrice',
    'marketValue',
    'unrealizedPnl',
    'realizedPnl',
    'feesPaid',
    'openedAt',
    'updatedAt',
  ],
  properties: {
    symbol: { type: 'string' },
    side: { type: 'string', enum: ['long', 'short'] },
    quantity: { type: 'number', description: 'signed base units: + long, − short' },
    averagePrice: { type: 'number', description: 'average entry price of the open quantity' },
    markPrice: { type: 'number', description: 'last price (the entry price until the market moved)' },
    marketValue: { type: 'number', description: 'quantity × mark' },
    unrealizedPnl: { type: 'number' },
    realizedPnl: { type: 'number', description: 'before fees' },
    feesPaid: { type: 'number' },
    openedAt: timestampSchema,
    updatedAt: timestampSchema,
  },
} as const;

const portfolioSchema = {
  type: 'object',
  required: [
    'ts',
    'cash',
    'equity',
    'exposure',
    'netExposure',
    'leverage',
    'unrealizedPnl',
    'realizedPnl',
    'feesPaid',
    'drawdown',
    'positions',
  ],
  properties: {
    ts: timestampSchema,
    cash: { type: 'number' },
    equity: { type: 'number', description: 'cash + positions at mark' },
    exposure: { type: 'number', description: 'gross exposure: Σ |quantity| × mark' },
    netExposure: { type: 'number', description: 'Σ quantity × mark' },
    leverage: { type: 'number', description: 'gross exposure / equity' },
    unrealizedPnl: { type: 'number' },
    realizedPnl: { type: 'number', description: 'before fees' },
    feesPaid: { type: 'number' },
    drawdown: { type: 'number', description: '≤ 0: below the peak equity, as a fraction of it' },
    positions: { type: 'integer', description: 'open positions' },
  },
} as const;

const equityPointSchema = {
  type: 'object',
  required: ['ts', 'equity', 'cash', 'drawdown'],
  properties: {
    ts: timestampSchema,
    equity: { type: 'number' },
    cash: { type: 'number' },
    drawdown: { type: 'number', description: '≤ 0: below the running peak, as a fraction of it' },
  },
} as const;

const num = { type: 'number' } as const;
const maybe = nullable('number');
const int = { type: 'integer' } as const;
const maybeTs = { ...nullable('integer'), description: 'epoch milliseconds UTC' };

/** Every figure of PerformanceMetrics: the compiler refuses this table when the backtester adds or drops one. */
const PERFORMANCE_FIELDS: Record<keyof PerformanceMetrics, object> = {
  startTs: maybeTs,
  endTs: maybeTs,
  years: num,
  initialEquity: maybe,
  finalEquity: maybe,
  periods: int,
  periodsPerYear: num,
  riskFreeRate: num,
  totalReturn: maybe,
  cagr: maybe,
  annualVolatility: maybe,
  sharpe: maybe,
  sortino: maybe,
  calmar: maybe,
  omega: maybe,
  tailRatio: maybe,
  var95: maybe,
  cvar95: maybe,
  var99: maybe,
  cvar99: maybe,
  openTrades: int,
  maxDrawdown: { ...num, description: 'largest fall below a peak, as a fraction of it (≥ 0)' },
  maxDrawdownPeakTs: maybeTs,
  maxDrawdownTroughTs: maybeTs,
  maxDrawdownRecoveryTs: maybeTs,
  maxDrawdownDurationMs: num,
  maxDrawdownDurationBars: int,
  longestDrawdownMs: num,
  longestDrawdownBars: int,
  timeUnderWater: num,
  closedTrades: int,
  winningTrades: int,
  losingTrades: int,
  winRate: maybe,
  profitFactor: maybe,
  expectancy: maybe,
  expectancyReturn: maybe,
  sqn: maybe,
  averageWin: maybe,
  averageLoss: maybe,
  payoffRatio: maybe,
  bestTrade: maybe,
  worstTrade: maybe,
  bestTradeReturn: maybe,
  worstTradeReturn: maybe,
  maxConsecutiveWins: int,
  maxConsecutiveLosses: int,
  averageHoldingMs: maybe,
  exposure: num,
  averageGrossExposure: num,
  turnover: num,
  annualTurnover: maybe,
  feesPaid: num,
  fills: int,
};

const performanceSchema = {
  type: 'object',
  required: Object.keys(PERFORMANCE_FIELDS),
  properties: PERFORMANCE_FIELDS,
} as const;

/** 0 stays 0: a negated zero would print as -0 in some clients. */
const belowPeak = (drawdown: number): number => (drawdown === 0 ? 0 : -drawdown);

/**
 * The account: open positions with their marks and P&L, the current valuation, the equity curve the trading engine
 * stores in portfolio_snapshots, and performance figures over that curve.
 */
export function registerPortfolioRoutes(app: FastifyInstance, deps: PortfolioRoutesDeps): void {
  const { trading, db } = deps;
  // The engine writes snapshots through a group commit: flushing first makes a read see every snapshot taken so far.
  const flushed = () => trading.engine.store.flush();

  app.get(
    '/api/v1/positions',
    {
      schema: {
        tags: ['portfolio'],
        summary: 'Open positions with mark, market value and unrealized / realized P&L',
        response: { 200: listSchema(positionSchema) },
      },
    },
    async () => {
      const portfolio = trading.engine.portfolio;
      const items = trading
        .positions()
        .filter((p) => p.quantity !== 0)
        .map((p) => {
          const mark = portfolio.markOf(p.symbol) ?? p.averagePrice;
          return {
            symbol: p.symbol,
            side: positionSide(p),
            quantity: p.quantity,
            averagePrice: p.averagePrice,
            markPrice: mark,
            marketValue: positionMarketValue(p, mark),
            unrealizedPnl: unrealizedPnl(p, mark),
            realizedPnl: p.realizedPnl,
            feesPaid: p.feesPaid,
            openedAt: p.openedAt,
            updatedAt: p.updatedAt,
          };
        });
      return { items };
    },
  );

  app.get(
    '/api/v1/portfolio',
    {
      schema: {
        tags: ['portfolio'],
        summary: 'The account valued now: cash, equity, exposure, P&L, drawdown, open positions',
        response: { 200: portfolioSchema },
      },
    },
    async () => {
      const snapshot = trading.portfolio();
      return {
        ts: snapshot.ts,
        cash: snapshot.cash,
        equity: snapshot.equity,
        exposure: snapshot.grossExposure,
        netExposure: snapshot.netExposure,
        leverage: snapshot.leverage,
        unrealizedPnl: snapshot.unrealizedPnl,
        realizedPnl: snapshot.realizedPnl,
        feesPaid: snapshot.feesPaid,
        drawdown: belowPeak(snapshot.drawdown),
        positions: snapshot.positions.length,
      };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string; limit: number } }>(
    '/api/v1/portfolio/equity',
    {
      schema: {
        tags: ['portfolio'],
        summary: 'The equity curve from the stored portfolio snapshots, oldest first',
        description:
          'Snapshots with from <= ts < to. When more than limit match, the most recent limit of them are answered.',
        querystring: {
          type: 'object',
          properties: {
            from: { ...timeQuerySchema, description: 'inclusive: epoch ms or ISO-8601' },
            to: { ...timeQuerySchema, description: 'exclusive: epoch ms or ISO-8601' },
            limit: limitSchema(EQUITY_LIMIT.default, EQUITY_LIMIT.max),
          },
        },
        response: { 200: listSchema(equityPointSchema), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { from, to } = readTimeRange(request.query);
      const where: string[] = [];
      const params: number[] = [];
      if (from !== undefined) {
        where.push('ts >= ?');
        params.push(from);
      }
      if (to !== undefined) {
        where.push('ts < ?');
        params.push(to);
      }
      await flushed();
      const rows = await db.query<{ ts: number; equity: number; cash: number; drawdown: number }>(
        'SELECT ts, equity, cash, drawdown FROM portfolio_snapshots' +
          (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
          ' ORDER BY ts DESC, id DESC LIMIT ?',
        [...params, request.query.limit],
      );
      const items = rows.reverse().map((r) => ({
        ts: Number(r.ts),
        equity: r.equity,
        cash: r.cash,
        drawdown: belowPeak(r.drawdown),
      }));
      return { items };
    },
  );

  app.get(
    '/api/v1/portfolio/performance',
    {
      schema: {
        tags: ['portfolio'],
        summary: 'Total return, volatility, Sharpe, drawdowns and trade statistics of the account',
        description:
          "Computed with the backtester's metric definitions over the stored equity curve (annualised by the " +
          "snapshots' cadence) and the round trips of the fills, so live and backtest figures compare.",
        response: { 200: performanceSchema },
      },
    },
    async () => {
      await flushed();
      const rows = await db.query<{ ts: number; equity: number; gross_exposure: number }>(
        'SELECT ts, equity, gross_exposure FROM portfolio_snapshots ORDER BY ts, id',
      );
      const points: EquityPoint[] = rows.map((r) => ({
        ts: Number(r.ts),
        equity: r.equity,
        grossExposure: r.gross_exposure,
      }));
      const fills = (await trading.listFills({ newestFirst: true, limit: PERFORMANCE_FILLS_MAX })).reverse();
      return portfolioPerformance(points, fills);
    },
  );
}
