import { ManualClock } from '@rrr/core';
import type { ExecutionEvent } from '../exchange/exchange-adapter';
import type { OmsOrder } from '../orders/oms-order';
import { makeBar } from '../testing/make-bar';
import { PaperExchange, type PaperExchangeOptions } from './paper-exchange';
import { fixedBpsSlippage, volumeShareSlippage } from './slippage-model';

const T0 = Date.UTC(2024, 0, 2, 10);
const MIN = 60_000;
let n = 0;

function order(fields: Partial<OmsOrder>): OmsOrder {
  const id = fields.id ?? `O-${++n}`;
  return {
    id,
    clientOrderId: id,
    symbol: 'BTC-USD',
    side: 'buy',
    type: 'market',
    quantity: 1,
    timeInForce: 'GTC',
    status: 'accepted',
    filledQuantity: 0,
    averageFillPrice: null,
    createdAt: T0,
    updatedAt: T0,
    version: 2,
    venue: 'paper',
    requestFingerprint: '[]',
    ...fields,
  };
}

function setup(options: Partial<PaperExchangeOptions> = {}) {
  const clock = new ManualClock(T0);
  const exchange = new PaperExchange({
    clock,
    initialBalances: { USD: 100_000 },
    latency: { minMs: 0, maxMs: 0 },
    barVolumeShare: null,
    ...options,
  });
  const events: ExecutionEvent[] = [];
  exchange.setListener((e) => events.push(e));
  const fills = () => events.flatMap((e) => (e.type === 'fill' ? [e.execution] : []));
  return { clock, exchange, events, fills };
}

describe('PaperExchange: market orders', () => {
  it('fills at the next bar open plus 5 bps slippage, pays the 0.1 % taker fee and moves both balances', async () => {
    const { exchange, fills, clock } = setup({ slippage: fixedBpsSlippage(5) });
    expect(await exchange.submit(order({ id: 'O-m', quantity: 0.5 }))).toEqual({
      accepted: true,
      ts: T0,
      exchangeOrderId: 'paper-O-m',
    });
    expect(fills()).toEqual([]);
    clock.advance(MIN);
    exchange.onBar(makeBar('BTC-USD', T0, { open: 40_000, high: 40_500, low: 39_800, close: 40_200 }));
    const price = 40_000 * 1.0005;
    expect(fills()).toEqual([
      {
        orderId: 'O-m',
        quantity: 0.5,
        price,
        fee: 0.5 * price * 0.001,
        feeCurrency: 'USD',
        liquidity: 'taker',
        ts: T0,
      },
    ]);
    expect(exchange.balances()).toEqual({ USD: 100_000 - 0.5 * price * 1.001, BTC: 0.5 });
    expect(exchange.workingOrderIds()).toEqual([]);
  });

  it('sells credit the quote net of the fee and debit the base', async () => {
    const { exchange, fills } = setup({ initialBalances: { USD: 0, ETH: 2 }, slippage: fixedBpsSlippage(0) });
    await exchange.submit(order({ symbol: 'ETH-USD', side: 'sell', quantity: 2 }));
    exchange.onBar(makeBar('ETH-USD', T0, { open: 2_000 }));
    expect(fills()[0]).toMatchObject({ price: 2_000, fee: 4 });
    expect(exchange.balances()).toEqual({ USD: 3_996, ETH: 0 });
  });

  it('caps fills at a share of bar volume, shared by the orders on the bar, and fills the rest on later bars', async () => {
    const { exchange, fills } = setup({ barVolumeShare: 0.1, slippage: fixedBpsSlippage(0) });
    await exchange.submit(order({ id: 'O-a', quantity: 8 }));
    await exchange.submit(order({ id: 'O-b', quantity: 3 }));
    exchange.onBar(makeBar('BTC-USD', T0, { open: 100, volume: 100 }));
    expect(fills().map((f) => [f.orderId, f.quantity])).toEqual([
      ['O-a', 8],
      ['O-b', 2],
    ]);
    exchange.onBar(makeBar('BTC-USD', T0 + MIN, { open: 101, volume: 5 }));
    expect(fills().map((f) => [f.orderId, f.quantity, f.price])).toEqual([
      ['O-a', 8, 100],
      ['O-b', 2, 100],
      ['O-b', 0.5, 101],
    ]);
    exchange.onBar(makeBar('BTC-USD', T0 + 2 * MIN, { open: 102, volume: 50 }));
    expect(fills().at(-1)).toMatchObject({ orderId: 'O-b', quantity: 0.5, price: 102 });
  });

  it('delays orders by a seeded latency on the injected clock: an order arriving after a tick misses it', async () => {
    const a = setup({ latency: { minMs: 10, maxMs: 50, seed: 7 } });
    const b = setup({ latency: { minMs: 10, maxMs: 50, seed: 7 } });
    const arrivals: number[][] = [[], []];
    for (const [i, s] of [a, b].entries()) {
      for (let k = 0; k < 20; k++) {
        await s.exchange.submit(order({ id: `L-${k}`, quantity: 0.01 }));
        s.exchange.onTrade({ symbol: 'BTC-USD', ts: T0 + 30, price: 100, quantity: 10 });
        s.exchange.onTrade({ symbol: 'BTC-USD', ts: T0 + 60, price: 101, quantity: 10 });
        const f = s.fills().at(-1);
        arrivals[i].push((f?.ts ?? 0) - T0);
        await s.exchange.cancel(order({ id: `L-${k}` }));
      }
    }
    expect(arrivals[0]).toEqual(arrivals[1]);
    expect(new Set(arrivals[0])).toEqual(new Set([30, 60]));
    // Fill times are never before the arrival: at the trade's time, which is after it.
    expect(a.fills().every((f) => f.ts === T0 + 30 || f.ts === T0 + 60)).toBe(true);
  });

  it('fills at the next trade or the quote touch when ticks are fed', async () => {
    const { exchange, fills } = setup({ slippage: fixedBpsSlippage(0) });
    await exchange.submit(order({ quantity: 1 }));
    exchange.onQuote({ symbol: 'BTC-USD', ts: T0 + 5, bid: 99, ask: 101, bidSize: 0.25, askSize: 0.4 });
    expect(fills().map((f) => [f.price, f.quantity])).toEqual([[101, 0.4]]);
    exchange.onTrade({ symbol: 'BTC-USD', ts: T0 + 6, price: 100.5, quantity: 5 });
    expect(fills().map((f) => [f.price, f.quantity])).toEqual([
      [101, 0.4],
      [100.5, 0.6],
    ]);
  });
});

describe('PaperExchange: fills at the bar close (barFillTiming)', () => {
  // The engine's clock stands at the close of the bar the strategy acted on when it places the order.
  const bar = makeBar('BTC-USD', T0 - MIN, { open: 100, high: 104, low: 96, close: 102, volume: 50 });

  it("'close' fills an order placed on a bar at that bar's close, capped by its volume share, slipped with the bar", async () => {
    const { exchange, fills } = setup({
      barFillTiming: 'close',
      barVolumeShare: 0.1,
      slippage: volumeShareSlippage({ baseBps: 0, impactBps: 100 }),
    });
    expect(exchange.capabilities.fillsAtBarClose).toBe(true);
    await exchange.submit(order({ id: 'O-c', quantity: 8 }));
    exchange.onBarClose(bar);
    // 5 of the bar's 50 can trade at its close; the volume model sees the bar (5 / 50 = 10 % of 100 bps → 10 bps).
    const price = 102 * 1.001;
    expect(fills()).toEqual([
      { orderId: 'O-c', quantity: 5, price, fee: 5 * price * 0.001, feeCurrency: 'USD', liquidity: 'taker', ts: T0 },
    ]);
    // The rest trades from the next bar on, as any working order does.
    exchange.onBar(makeBar('BTC-USD', T0, { open: 103, volume: 1_000 }));
    expect(fills().map((f) => [f.quantity, f.ts])).toEqual([
      [5, T0],
      [3, T0],
    ]);
  });

  it("'next-open' (the default) leaves the bar close alone: the order waits for the next bar's open", async () => {
    const { exchange, fills } = setup({ slippage: fixedBpsSlippage(0) });
    expect(exchange.capabilities.fillsAtBarClose).toBe(false);
    await exchange.submit(order({ id: 'O-n', quantity: 1 }));
    exchange.onBarClose(bar);
    expect(fills()).toEqual([]);
    exchange.onBar(makeBar('BTC-USD', T0, { open: 103 }));
    expect(fills().map((f) => f.price)).toEqual([103]);
  });

  it('refuses an unknown timing, naming the option', () => {
    expect(() => setup({ barFillTiming: 'open' as never })).toThrow(/barFillTiming: must be 'next-open' or 'close'/);
  });
});

describe('PaperExchange: balances', () => {
  it('rejects a buy the free quote balance cannot cover, counting what resting orders hold back', async () => {
    const { exchange } = setup({ initialBalances: { USD: 10_000 } });
    expect(await exchange.submit(order({ id: 'O-1', type: 'limit', price: 5_000, quantity: 1.5 }))).toMatchObject({
      accepted: true,
    });
    const second = await exchange.submit(order({ id: 'O-2', type: 'limit', price: 5_000, quantity: 0.6 }));
    expect(second).toEqual({
      accepted: false,
      ts: T0,
      reason: 'insufficient USD balance: the order needs 3003 USD, 2492.5 is free',
    });
  });

  it('rejects a spot sell of more than is held, unless shorting is allowed', async () => {
    const spot = setup();
    expect(await spot.exchange.submit(order({ side: 'sell', quantity: 1 }))).toMatchObject({
      accepted: false,
      reason: 'insufficient BTC balance: the order needs 1 BTC, 0 is free',
    });
    const margin = setup({ allowShort: true, slippage: fixedBpsSlippage(0) });
    await margin.exchange.submit(order({ side: 'sell', quantity: 1 }));
    margin.exchange.onBar(makeBar('BTC-USD', T0, { open: 100 }));
    expect(margin.exchange.balances()).toEqual({ USD: 100_000 + 100 - 0.1, BTC: -1 });
  });

  it('rejects at execution when the actual cost exceeds the balance (a market buy with no price known at submit)', async () => {
    const { exchange, events } = setup({ initialBalances: { USD: 1_000 } });
    await exchange.submit(order({ id: 'O-x', quantity: 1 }));
    exchange.onBar(makeBar('BTC-USD', T0, { open: 2_000 }));
    expect(events).toEqual([
      {
        type: 'rejected',
        orderId: 'O-x',
        ts: T0,
        reason: 'insufficient USD balance at execution: needs 2003.001 USD, 1000 is free',
      },
    ]);
    expect(exchange.balances()).toEqual({ USD: 1_000 });
  });
});

describe('PaperExchange: time in force, expiry and brackets', () => {
  it('IOC fills what it can on its first chance and cancels the rest; FOK fills all or nothing', async () => {
    const { exchange, events } = setup({ barVolumeShare: 0.1, slippage: fixedBpsSlippage(0) });
    await exchange.submit(order({ id: 'O-ioc', quantity: 15, timeInForce: 'IOC' }));
    await exchange.submit(order({ id: 'O-fok', quantity: 1, timeInForce: 'FOK' }));
    exchange.onBar(makeBar('BTC-USD', T0, { open: 10, volume: 100 }));
    expect(
      events.map((e) => [e.type, e.type === 'fill' ? e.execution.quantity : (e as { orderId: string }).orderId]),
    ).toEqual([
      ['fill', 10],
      ['cancelled', 'O-ioc'],
      ['cancelled', 'O-fok'],
    ]);
    expect(events[2]).toMatchObject({ reason: 'FOK: only 0 of 1 could execute' });
  });

  it('an IOC limit that the first window does not reach is cancelled unfilled', async () => {
    const { exchange, events } = setup();
    await exchange.submit(order({ id: 'O-l', type: 'limit', price: 90, timeInForce: 'IOC' }));
    exchange.onBar(makeBar('BTC-USD', T0, { open: 100, low: 95 }));
    expect(events).toEqual([
      { type: 'cancelled', orderId: 'O-l', ts: T0, reason: 'IOC: unfilled remainder cancelled' },
    ]);
  });

  it('expires DAY orders at their session end: not matched on data at or after it', async () => {
    const { exchange, events } = setup();
    const expiresAt = T0 + 5 * MIN;
    await exchange.submit(order({ id: 'O-day', type: 'limit', price: 90, timeInForce: 'DAY', expiresAt }));
    exchange.onBar(makeBar('BTC-USD', T0, { open: 100, low: 95 }));
    exchange.onBar(makeBar('BTC-USD', expiresAt, { open: 100, low: 80 }));
    expect(events).toEqual([{ type: 'expired', orderId: 'O-day', ts: expiresAt }]);
    await exchange.submit(order({ id: 'O-day2', type: 'limit', price: 90, timeInForce: 'DAY', expiresAt }));
    exchange.expireDue(expiresAt);
    expect(events.at(-1)).toEqual({ type: 'expired', orderId: 'O-day2', ts: expiresAt });
  });

  it('one-cancels-other: the first fill of a bracket exit takes its sibling out', async () => {
    const { exchange, events } = setup({ initialBalances: { USD: 0, BTC: 1 }, slippage: fixedBpsSlippage(0) });
    const exit = { side: 'sell' as const, reduceOnly: true, parentId: 'O-entry' };
    await exchange.submit(order({ ...exit, id: 'O-sl', type: 'stop', stopPrice: 95, bracketRole: 'stop-loss' }));
    await exchange.submit(order({ ...exit, id: 'O-tp', type: 'limit', price: 110, bracketRole: 'take-profit' }));
    exchange.onBar(makeBar('BTC-USD', T0, { open: 100, high: 111, low: 99, close: 105 }));
    expect(events.map((e) => e.type)).toEqual(['fill', 'cancelled']);
    expect(events[1]).toMatchObject({ orderId: 'O-sl', reason: 'one-cancels-other: take-profit O-tp filled' });
    expect(exchange.balances()).toEqual({ USD: 110 - 0.11, BTC: 0 });
  });

  it('restores a book from stored orders: triggered state and trailing reference included', async () => {
    const { exchange, events } = setup({ initialBalances: { USD: 0 } });
    await exchange.restore(
      [
        order({
          id: 'O-tr',
          side: 'sell',
          type: 'trailing-stop',
          trailingPercent: 10,
          trailingReference: 200,
          reduceOnly: true,
        }),
        order({ id: 'O-other', venue: 'binance' }),
      ],
      { USD: 50, BTC: 1 },
    );
    expect(exchange.workingOrderIds()).toEqual(['O-tr']);
    exchange.onBar(makeBar('BTC-USD', T0, { open: 185, high: 186, low: 179, close: 181 }));
    expect(events.filter((e) => e.type === 'triggered')).toEqual([{ type: 'triggered', orderId: 'O-tr', ts: T0 }]);
    expect(exchange.balances().BTC).toBe(0);
  });
});
