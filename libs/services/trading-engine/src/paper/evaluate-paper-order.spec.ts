import { makeBar } from '../testing/make-bar';
import { evaluatePaperOrder, reachesLimit, trailingStopPrice, type PaperOrderState } from './evaluate-paper-order';
import { barWindow, quoteWindow, tradeWindow } from './price-window';

const T0 = Date.UTC(2024, 0, 2);
const bar = (open: number, high: number, low: number, close: number) =>
  barWindow(makeBar('BTC-USD', T0, { open, high, low, close }), null);
const state = (s: Partial<PaperOrderState>): PaperOrderState => ({
  side: 'buy',
  type: 'market',
  triggered: false,
  rested: true,
  ...s,
});

describe('limit fills: through versus touch, both sides', () => {
  it('through (default): a buy limit at 100 does not fill when the low only touches 100, fills when it trades below', () => {
    const buy = state({ type: 'limit', price: 100 });
    expect(evaluatePaperOrder(buy, bar(101, 102, 100, 101), 'through')).toEqual({});
    expect(evaluatePaperOrder(buy, bar(101, 102, 99.99, 101), 'through')).toEqual({
      execution: { referencePrice: 100, liquidity: 'maker', aggressive: false },
    });
  });

  it('touch: the same buy limit fills on the touch, and still not above it', () => {
    const buy = state({ type: 'limit', price: 100 });
    expect(evaluatePaperOrder(buy, bar(101, 102, 100, 101), 'touch').execution?.referencePrice).toBe(100);
    expect(evaluatePaperOrder(buy, bar(101, 102, 100.01, 101), 'touch')).toEqual({});
  });

  it('sell limits mirror it: through needs a high above the limit, touch the limit itself', () => {
    const sell = state({ side: 'sell', type: 'limit', price: 100 });
    expect(evaluatePaperOrder(sell, bar(99, 100, 98, 99), 'through')).toEqual({});
    expect(evaluatePaperOrder(sell, bar(99, 100.01, 98, 99), 'through').execution?.liquidity).toBe('maker');
    expect(evaluatePaperOrder(sell, bar(99, 100, 98, 99), 'touch').execution?.referencePrice).toBe(100);
    expect(reachesLimit('sell', 100, 100, 'through')).toBe(false);
    expect(reachesLimit('sell', 100, 100, 'touch')).toBe(true);
  });

  it('a new limit that is marketable on arrival takes liquidity at the first price, capped at its limit', () => {
    const fresh = state({ type: 'limit', price: 100, rested: false });
    expect(evaluatePaperOrder(fresh, bar(98, 99, 97, 98), 'through')).toEqual({
      execution: { referencePrice: 98, liquidity: 'taker', aggressive: true, limit: 100 },
    });
  });
});

describe('stops trigger, then fill', () => {
  it('a sell stop triggers when the low reaches it (a touch is enough) and executes from the stop', () => {
    const stop = state({ side: 'sell', type: 'stop', stopPrice: 95 });
    expect(evaluatePaperOrder(stop, bar(100, 101, 95.01, 96), 'through')).toEqual({});
    expect(evaluatePaperOrder(stop, bar(100, 101, 95, 96), 'through')).toEqual({
      triggeredAt: 95,
      execution: { referencePrice: 95, liquidity: 'taker', aggressive: true },
    });
  });

  it('a gap through the stop executes from the open, not from the stop', () => {
    const stop = state({ side: 'sell', type: 'stop', stopPrice: 95 });
    expect(evaluatePaperOrder(stop, bar(90, 92, 89, 91), 'through').execution?.referencePrice).toBe(90);
    const buyStop = state({ side: 'buy', type: 'stop', stopPrice: 105 });
    expect(evaluatePaperOrder(buyStop, bar(110, 111, 109, 110), 'through')).toMatchObject({ triggeredAt: 110 });
  });

  it('a stop-limit whose trigger lies beyond its limit triggers and rests as a limit', () => {
    const stopLimit = state({ side: 'sell', type: 'stop-limit', stopPrice: 95, price: 94 });
    expect(evaluatePaperOrder(stopLimit, bar(93, 93.5, 92, 93), 'through')).toEqual({ triggeredAt: 93 });
    expect(evaluatePaperOrder(stopLimit, bar(100, 101, 94.5, 95), 'through')).toEqual({
      triggeredAt: 95,
      execution: { referencePrice: 95, liquidity: 'taker', aggressive: true, limit: 94 },
    });
    const triggered = { ...stopLimit, triggered: true };
    expect(evaluatePaperOrder(triggered, bar(93, 94.5, 92, 93), 'through').execution).toEqual({
      referencePrice: 94,
      liquidity: 'maker',
      aggressive: false,
    });
  });
});

describe('trailing stops', () => {
  it('trails the high by the percentage, only upwards, and triggers on the trail', () => {
    const trailing = state({ side: 'sell', type: 'trailing-stop', trailingPercent: 10 });
    const first = evaluatePaperOrder(trailing, bar(100, 105, 98, 104), 'through');
    expect(first).toEqual({ trailingReference: 105 });
    const armed = { ...trailing, trailingReference: 105 };
    expect(trailingStopPrice(armed, 105)).toBeCloseTo(94.5, 12);
    expect(evaluatePaperOrder(armed, bar(104, 104, 95, 96), 'through')).toEqual({});
    expect(evaluatePaperOrder(armed, bar(104, 120, 100, 119), 'through')).toEqual({ trailingReference: 120 });
    expect(evaluatePaperOrder(armed, bar(96, 97, 94, 95), 'through')).toMatchObject({ triggeredAt: 94.5 });
  });

  it('a buy trailing stop (covering a short) trails the low by an amount', () => {
    const trailing = state({ side: 'buy', type: 'trailing-stop', trailingAmount: 5, trailingReference: 100 });
    expect(evaluatePaperOrder(trailing, bar(99, 104, 90, 92), 'through')).toEqual({ trailingReference: 90 });
    expect(evaluatePaperOrder({ ...trailing, trailingReference: 90 }, bar(92, 95, 91, 94), 'through')).toMatchObject({
      triggeredAt: 95,
    });
  });
});

describe('ticks', () => {
  it('trades and quotes are windows of one price: a market buy takes the ask, a sell the bid', () => {
    const quote = { symbol: 'BTC-USD', ts: T0, bid: 99.5, ask: 100.5, bidSize: 2, askSize: 3 };
    expect(evaluatePaperOrder(state({}), quoteWindow(quote, 'buy'), 'through').execution?.referencePrice).toBe(100.5);
    expect(
      evaluatePaperOrder(state({ side: 'sell' }), quoteWindow(quote, 'sell'), 'through').execution?.referencePrice,
    ).toBe(99.5);
    expect(quoteWindow(quote, 'buy').capacity).toBe(3);
    const trade = tradeWindow({ symbol: 'BTC-USD', ts: T0, price: 99.9, quantity: 0.4 });
    expect(evaluatePaperOrder(state({ type: 'limit', price: 100 }), trade, 'through').execution?.referencePrice).toBe(
      100,
    );
    expect(trade.capacity).toBe(0.4);
  });
});
