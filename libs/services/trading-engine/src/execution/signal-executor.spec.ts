import type { Signal } from '@rrr/core';
import { makeBar } from '../testing/make-bar';
import { createOmsHarness, T0, type Harness } from '../testing/oms-harness';
import { fixedFractionSizer, volatilityTargetSizer } from './position-sizer';
import { clientOrderIdFor, SignalExecutor } from './signal-executor';

const MIN = 60_000;
const signal = (direction: Signal['direction'], ts: number, price = 2_000): Signal => ({
  symbol: 'ETH-USD',
  ts,
  direction,
  strength: direction === 'flat' ? 0 : 1,
  source: 'test-strategy',
  price,
});

describe('SignalExecutor', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createOmsHarness();
    h.clock.set(T0 + MIN);
    await h.oms.onBar(makeBar('ETH-USD', T0, { open: 2_000 }));
  });
  afterEach(async () => h.close());

  async function nextBar(open: number): Promise<void> {
    const ts = h.clock.now();
    h.clock.advance(MIN);
    await h.oms.onBar(makeBar('ETH-USD', ts, { open }));
    await h.oms.flush();
  }

  it('sizes a long at 10 % of equity, skips a repeat, and closes with a reduce-only sell on flat', async () => {
    const executor = new SignalExecutor({ oms: h.oms, portfolio: h.portfolio });
    const opened = await executor.execute(signal('long', T0 + MIN));
    expect(opened).toMatchObject({
      status: 'submitted',
      order: {
        side: 'buy',
        quantity: 5,
        strategyId: 'test-strategy',
        clientOrderId: `test-strategy:ETH-USD:${T0 + MIN}`,
      },
    });
    expect(await executor.execute(signal('long', T0 + MIN + 1))).toEqual({
      status: 'skipped',
      reason: 'order O-000000000001 for ETH-USD is still working',
    });
    await nextBar(2_000);
    expect(await executor.execute(signal('long', T0 + 2 * MIN))).toEqual({
      status: 'skipped',
      reason: 'already long ETH-USD',
    });
    const closed = await executor.execute(signal('flat', T0 + 2 * MIN));
    expect(closed).toMatchObject({ status: 'submitted', order: { side: 'sell', quantity: 5, reduceOnly: true } });
    await nextBar(2_100);
    expect(h.portfolio.quantity('ETH-USD')).toBe(0);
  });

  it('turns a short signal into a close only when shorting is not allowed, and a short when it is', async () => {
    const longOnly = new SignalExecutor({ oms: h.oms, portfolio: h.portfolio });
    expect(await longOnly.execute(signal('short', T0 + MIN))).toEqual({
      status: 'skipped',
      reason: 'already flat ETH-USD',
    });
    const shorting = new SignalExecutor({
      oms: h.oms,
      portfolio: h.portfolio,
      allowShort: true,
      sizer: fixedFractionSizer({ fraction: 0.05 }),
    });
    // The spot paper account has no ETH to sell: the venue rejects it, and the executor reports the order.
    expect(await shorting.execute(signal('short', T0 + MIN))).toMatchObject({
      status: 'submitted',
      order: { side: 'sell', quantity: 2.5, status: 'rejected' },
    });
  });

  it('reports a pre-trade risk refusal instead of throwing, and attaches a 2 % / 3:1 bracket to entries when asked', async () => {
    const greedy = new SignalExecutor({
      oms: h.oms,
      portfolio: h.portfolio,
      sizer: fixedFractionSizer({ fraction: 0.5, maxFraction: 0.5 }),
    });
    expect(await greedy.execute(signal('long', T0 + MIN))).toMatchObject({ status: 'refused', code: 'RISK_REJECTED' });
    const protectedEntries = new SignalExecutor({ oms: h.oms, portfolio: h.portfolio, stops: {} });
    const outcome = await protectedEntries.execute(signal('long', T0 + MIN + 5));
    expect(outcome).toMatchObject({ status: 'submitted', order: { bracket: { stopLoss: 1_960 } } });
    expect((outcome as { order: { bracket: { takeProfit: number } } }).order.bracket.takeProfit).toBeCloseTo(2_120, 9);
  });

  it('volatility-target sizing waits for enough closes, then sizes to the target', () => {
    const sizer = volatilityTargetSizer({ targetVolatility: 0.1, lookback: 4, periodsPerYear: 252 });
    const base = { signal: signal('long', T0), equity: 100_000, price: 100, position: 0 };
    expect(sizer.size({ ...base, closes: [100, 101, 100] })).toBe(0);
    expect(sizer.size({ ...base, closes: [100, 101, 100, 101, 100] })).toBeGreaterThan(0);
  });

  it('derives client order ids from strategy, symbol and time, hashing long ones to fit 64 characters', () => {
    expect(clientOrderIdFor('sma-cross(20,50)', 'BTC-USD', 1)).toBe('sma-cross(20,50):BTC-USD:1');
    const long = clientOrderIdFor('x'.repeat(80), 'BTC-USD', 1);
    expect(long).toMatch(/^sig:[0-9a-f]{40}$/);
    expect(clientOrderIdFor('x'.repeat(80), 'BTC-USD', 1)).toBe(long);
  });
});
