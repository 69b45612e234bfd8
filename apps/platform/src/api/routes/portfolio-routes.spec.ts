import { computePerformanceMetrics, YEAR_MS } from '@rrr/backtesting';
import { startTradingApiTestServer, type TradingApiTestServer } from '../testing/trading-api-test-server';

interface EquityPoint {
  ts: number;
  equity: number;
  cash: number;
  drawdown: number;
}

describe('portfolio routes (positions, valuation, equity curve, performance)', () => {
  let t: TradingApiTestServer;
  const closes = [40_000, 40_400, 39_000, 38_000, 41_000, 40_500];
  const bars: number[] = [];

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await t.request('GET', path);
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    t = await startTradingApiTestServer();
    bars.push((await t.publishBar('BTC-USD', closes[0])).ts);
    const buy = await t.request('POST', '/api/v1/orders', {
      key: 'trade',
      body: { symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.4 },
    });
    expect(buy.status).toBe(201);
    for (const close of closes.slice(1)) bars.push((await t.publishBar('BTC-USD', close)).ts);
    // Half the position is sold on the last bar: some P&L is realized, the rest stays open.
    await t.request('POST', '/api/v1/orders', {
      key: 'trade',
      body: { symbol: 'BTC-USD', side: 'sell', type: 'market', quantity: 0.2 },
    });
    bars.push((await t.publishBar('BTC-USD', 40_800)).ts);
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists open positions with mark, market value and P&L', async () => {
    const { status, body } = await get<{ items: Record<string, number | string>[] }>('/api/v1/positions');
    expect(status).toBe(200);
    const held = t.trading.positions().find((p) => p.symbol === 'BTC-USD');
    expect(held?.quantity).toBeCloseTo(0.2, 12);
    const average = held?.averagePrice ?? Number.NaN;
    expect(body.items).toEqual([
      {
        symbol: 'BTC-USD',
        side: 'long',
        quantity: held?.quantity,
        averagePrice: average,
        markPrice: 40_800,
        marketValue: (held?.quantity ?? 0) * 40_800,
        unrealizedPnl: (held?.quantity ?? 0) * (40_800 - average),
        realizedPnl: held?.realizedPnl,
        feesPaid: held?.feesPaid,
        openedAt: held?.openedAt,
        updatedAt: held?.updatedAt,
      },
    ]);
    expect(held?.realizedPnl).not.toBe(0);
  });

  it('values the account now', async () => {
    const { status, body } = await get<Record<string, number>>('/api/v1/portfolio');
    expect(status).toBe(200);
    const now = t.trading.portfolio();
    expect(body).toEqual({
      ts: t.clock.now(),
      cash: now.cash,
      equity: now.equity,
      exposure: now.grossExposure,
      netExposure: now.netExposure,
      leverage: now.leverage,
      unrealizedPnl: now.unrealizedPnl,
      realizedPnl: now.realizedPnl,
      feesPaid: now.feesPaid,
      drawdown: now.drawdown === 0 ? 0 : -now.drawdown,
      positions: 1,
    });
    expect(body.equity).toBeCloseTo(body.cash + 0.2 * 40_800, 6);
    expect(body.drawdown).toBeLessThan(0);
  });

  it('serves the stored equity curve oldest first, drawdown <= 0 from the running peak, within [from, to)', async () => {
    const { status, body } = await get<{ items: EquityPoint[] }>('/api/v1/portfolio/equity');
    expect(status).toBe(200);
    // One snapshot per bar close.
    expect(body.items.map((p) => p.ts)).toEqual(bars.map((ts) => ts + 60_000));
    let peak = -Infinity;
    for (const point of body.items) {
      peak = Math.max(peak, point.equity);
      expect(point.drawdown).toBeCloseTo(-(peak - point.equity) / peak, 12);
    }
    expect(Math.min(...body.items.map((p) => p.drawdown))).toBeLessThan(0);
    expect(body.items[0]).toEqual({ ts: bars[0] + 60_000, equity: 100_000, cash: 100_000, drawdown: 0 });

    const window = await get<{ items: EquityPoint[] }>(
      `/api/v1/portfolio/equity?from=${new Date(body.items[2].ts).toISOString()}&to=${body.items[5].ts}`,
    );
    expect(window.body.items).toEqual(body.items.slice(2, 5));
    const latest = await get<{ items: EquityPoint[] }>('/api/v1/portfolio/equity?limit=2');
    expect(latest.body.items).toEqual(body.items.slice(-2));

    const bad = await get<{ error: { details: { problems: { field: string }[] } } }>(
      '/api/v1/portfolio/equity?limit=10001',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems[0].field).toBe('querystring.limit');
  });

  it("reports performance with the backtester's metric definitions over the curve and the fills' round trips", async () => {
    const curve = (await get<{ items: EquityPoint[] }>('/api/v1/portfolio/equity')).body.items;
    const { status, body } = await get<Record<string, number | null>>('/api/v1/portfolio/performance');
    expect(status).toBe(200);
    const equity = curve.map((p) => p.equity);
    expect(body.totalReturn).toBeCloseTo(equity[equity.length - 1] / equity[0] - 1, 12);
    expect(body.maxDrawdown).toBeCloseTo(-Math.min(...curve.map((p) => p.drawdown)), 12);
    // Snapshots a minute apart: returns annualise by minutes in a year.
    expect(body.periodsPerYear).toBeCloseTo(YEAR_MS / 60_000, 6);
    expect(body.periods).toBe(curve.length - 1);
    expect(body.fills).toBe(2);
    // The sell closed part of the position, which is no completed round trip: the trip stays open.
    expect(body.closedTrades).toBe(0);
    expect(body.openTrades).toBe(1);
    const reference = computePerformanceMetrics(
      {
        ts: curve.map((p) => p.ts),
        equity,
        grossExposure: curve.map(() => 0),
        closedTrades: [],
        openTrades: 1,
        fills: [],
      },
      { periodsPerYear: YEAR_MS / 60_000 },
    );
    expect(body.sharpe).toBeCloseTo(reference.sharpe ?? Number.NaN, 9);
    expect(body.annualVolatility).toBeCloseTo(reference.annualVolatility ?? Number.NaN, 9);
    expect(Object.keys(body).sort()).toEqual(Object.keys(reference).sort());
  });
});
