import type { Signal, SignalRow } from '../api/wire-types';
import { RecentSignals, signalView } from './recent-signals';

const T0 = Date.UTC(2026, 10, 25, 19, 40);

function live(symbol: string, minute: number, source = 'sma-cross(20,50)'): Signal {
  return { symbol, ts: T0 + minute * 60_000, direction: 'long', strength: 1, source, price: 100 + minute };
}

function stored(id: number, signal: Signal): SignalRow {
  return { id, reason: null, ...signal, price: signal.price ?? null };
}

describe('RecentSignals', () => {
  it('keys a stored row and the live event of the same signal alike, and fills what a live event leaves out', () => {
    const event = live('BTC-USD', 1);
    expect(signalView(stored(7, event))).toEqual(signalView(event));
    expect(signalView(event)).toEqual({
      key: `BTC-USD sma-cross(20,50) ${T0 + 60_000}`,
      ts: T0 + 60_000,
      symbol: 'BTC-USD',
      source: 'sma-cross(20,50)',
      direction: 'long',
      strength: 1,
      price: 101,
      reason: null,
    });
  });

  it('merges what a reload reads with what arrived live, newest first, bounded', () => {
    const recent = new RecentSignals(3);
    expect(recent.add([live('ETH-USD', 5)])).toBe(true);
    const rows = [4, 3, 2, 1].map((minute, i) => stored(10 - i, live('BTC-USD', minute)));
    expect(recent.add(rows)).toBe(true);
    expect(recent.list().map((s) => `${s.symbol} ${(s.ts - T0) / 60_000}`)).toEqual([
      'ETH-USD 5',
      'BTC-USD 4',
      'BTC-USD 3',
    ]);
    // Already shown, or older than everything kept: nothing changes.
    expect(recent.add([live('ETH-USD', 5), live('BTC-USD', 1)])).toBe(false);
    // Two sources at one instant are two signals.
    expect(recent.add([live('BTC-USD', 4, 'logistic-btc@1')])).toBe(true);
    expect(recent.list().map((s) => s.source)).toEqual(['sma-cross(20,50)', 'logistic-btc@1', 'sma-cross(20,50)']);
    recent.clear();
    expect(recent.list()).toEqual([]);
  });
});
