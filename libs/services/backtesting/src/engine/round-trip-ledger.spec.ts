import type { Fill } from '@rrr/core';
import { allowAllPreTradeCheck, type PositionSizer } from '@rrr/trading-engine';
import fc from 'fast-check';
import { randomWalkBars, scriptedStrategy } from '../testing/scripted-strategy';
import { runEventBacktest } from './event-backtest';
import { RoundTripLedger } from './round-trip-ledger';

let seq = 0;
function fill(side: 'buy' | 'sell', quantity: number, price: number, fee = 0, ts = 1_000 + seq): Fill {
  seq += 1;
  const id = `F-${seq}`;
  return {
    id,
    orderId: `O-${seq}`,
    symbol: 'AAA',
    side,
    quantity,
    price,
    fee,
    feeCurrency: 'USD',
    liquidity: 'taker',
    ts,
  };
}

describe('RoundTripLedger', () => {
  it('averages scale-ins and scale-outs into one trip, net of every fee', () => {
    const ledger = new RoundTripLedger();
    ledger.apply(fill('buy', 10, 100, 1), 'signal', 10_000);
    ledger.apply(fill('buy', 10, 110, 1), 'signal', 10_000);
    ledger.apply(fill('sell', 5, 120, 0.5), 'signal', 10_000);
    expect(ledger.closedTrips()).toEqual([]);
    ledger.apply(fill('sell', 15, 100, 1.5), 'take-profit', 10_000);
    const [trip] = ledger.closedTrips();
    // entry 2,100 for 20 → 105; exit 600 + 1,500 = 2,100 for 20 → 105; P&L 0 − 4 fees.
    expect(trip).toMatchObject({ direction: 'long', quantity: 20, entryPrice: 105, exitPrice: 105, fees: 4 });
    expect(trip.pnl).toBeCloseTo(-4, 12);
    expect(trip.returnFraction).toBeCloseTo(-4 / 2_100, 12);
    expect(trip.exitReason).toBe('take-profit');
  });

  it('splits a fill that flips the position: closes the long, opens a short with the rest and its share of the fee', () => {
    const ledger = new RoundTripLedger();
    ledger.apply(fill('buy', 10, 100, 1), 'signal', 10_000);
    ledger.apply(fill('sell', 30, 90, 3), 'stop-loss', 9_900);
    expect(ledger.closedTrips()).toEqual([
      expect.objectContaining({ direction: 'long', pnl: -100 - 1 - 1, exitReason: 'stop-loss', fees: 2 }),
    ]);
    const [open] = ledger.openTrips({ AAA: 80 });
    // Short 20 from 90, fee share 2 of the 3: marked at 80 → 20 × 10 − 2.
    expect(open).toMatchObject({ direction: 'short', quantity: 20, entryPrice: 90, exitReason: 'open', fees: 2 });
    expect(open.unrealizedPnl).toBeCloseTo(198, 12);
    expect(open.equityAtEntry).toBe(9_900);
  });

  it('treats a float residue as flat (0.1 + 0.2 bought, 0.3 sold)', () => {
    const ledger = new RoundTripLedger();
    ledger.apply(fill('buy', 0.1, 100), 'signal', 1);
    ledger.apply(fill('buy', 0.2, 100), 'signal', 1);
    ledger.apply(fill('sell', 0.3, 100), 'signal', 1);
    expect(ledger.closedTrips()).toHaveLength(1);
    expect(ledger.openTrips({})).toEqual([]);
  });
});

describe('round trips agree with the portfolio (property)', () => {
  it('final equity = capital + Σ closed P&L + Σ open unrealized P&L, with fees, longs and shorts', async () => {
    const bars = randomWalkBars('AAA', 60, 11);
    const regime = fc.constantFrom('long' as const, 'short' as const, 'flat' as const);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.integer({ min: 0, max: 58 }).map(String), regime, { maxKeys: 20 }),
        fc.integer({ min: 1, max: 40 }),
        async (script, units) => {
          const sizer: PositionSizer = { name: 'units', size: () => units };
          const steps = Object.fromEntries(Object.entries(script).map(([k, v]) => [Number(k), v]));
          const run = await runEventBacktest({
            symbols: ['AAA'],
            interval: '1d',
            feeds: [bars],
            strategies: [scriptedStrategy({ AAA: steps })],
            initialCapital: 100_000,
            allowShort: true,
            sizer,
            risk: allowAllPreTradeCheck,
            barVolumeShare: null,
          });
          const closed = run.trades.filter((t) => t.pnl !== null).reduce((s, t) => s + (t.pnl as number), 0);
          const open = run.trades.filter((t) => t.pnl === null).reduce((s, t) => s + (t.unrealizedPnl as number), 0);
          const final = run.curve.equity[run.curve.equity.length - 1];
          expect(final).toBeCloseTo(100_000 + closed + open, 6);
          const fees = run.fills.reduce((s, f) => s + f.fee, 0);
          expect(run.trades.reduce((s, t) => s + t.fees, 0)).toBeCloseTo(fees, 9);
        },
      ),
      { numRuns: 40 },
    );
  });
});
