import type { Trade } from '@rrr/core';
import { TradeGapDetector } from './trade-gap-detector';

const T0 = Date.UTC(2026, 2, 2, 14, 30);
const trade = (id: string | undefined, ts: number, symbol = 'BTC-USDT'): Trade => ({
  symbol,
  ts,
  price: 60_000,
  quantity: 1,
  ...(id === undefined ? {} : { id }),
});

describe('TradeGapDetector', () => {
  it('finds a jump in sequential trade ids, per symbol, with the times around it', () => {
    const detector = new TradeGapDetector();
    expect(detector.observe(trade('7', T0))).toBeUndefined();
    expect(detector.observe(trade('100', T0 + 500, 'ETH-USDT'))).toBeUndefined();
    expect(detector.observe(trade('8', T0 + 1_000))).toBeUndefined();
    expect(detector.observe(trade('101', T0 + 1_500, 'ETH-USDT'))).toBeUndefined();
    expect(detector.observe(trade('11', T0 + 9_000))).toEqual({
      symbol: 'BTC-USDT',
      afterTs: T0 + 1_000,
      beforeTs: T0 + 9_000,
      reason: 'trade 11 followed trade 8',
    });
    expect(detector.gaps).toBe(1);
  });

  it('keeps ids beyond 2^53 exact', () => {
    const detector = new TradeGapDetector();
    detector.observe(trade('9007199254740993', T0));
    expect(detector.observe(trade('9007199254740994', T0 + 1))).toBeUndefined();
    expect(detector.observe(trade('9007199254740996', T0 + 2))).toMatchObject({ afterTs: T0 + 1, beforeTs: T0 + 2 });
  });

  it('sees no gap in replayed ids, ids that are not numbers, or trades without ids', () => {
    const detector = new TradeGapDetector();
    detector.observe(trade('10', T0));
    expect(detector.observe(trade('9', T0 + 1))).toBeUndefined();
    // The replay did not move the sequence back: 11 follows 10.
    expect(detector.observe(trade('11', T0 + 2))).toBeUndefined();
    expect(detector.observe(trade('a1b2', T0 + 3))).toBeUndefined();
    expect(detector.observe(trade('20', T0 + 4))).toBeUndefined();
    expect(detector.observe(trade(undefined, T0 + 5))).toBeUndefined();
    expect(detector.observe(trade('30', T0 + 6))).toBeUndefined();
    expect(detector.gaps).toBe(0);
  });

  it('counts a failed stream once, from its last trade to the first trade after it', () => {
    const detector = new TradeGapDetector();
    expect(detector.interrupted('BTC-USDT')).toBeUndefined();
    detector.observe(trade('1', T0));
    expect(detector.interrupted('BTC-USDT')).toBe(T0);
    expect(detector.interrupted('BTC-USDT')).toBeUndefined();
    // The next id jumps too: the same outage, not a second gap.
    expect(detector.observe(trade('5', T0 + 70_000))).toEqual({
      symbol: 'BTC-USDT',
      afterTs: T0,
      beforeTs: T0 + 70_000,
      reason: 'the trade stream failed and was watched again',
    });
    expect(detector.gaps).toBe(1);
    expect(detector.observe(trade('6', T0 + 71_000))).toBeUndefined();
  });
});
