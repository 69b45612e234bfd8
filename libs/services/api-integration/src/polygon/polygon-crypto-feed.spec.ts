import { ValidationError, type Bar, type Trade } from '@rrr/core';
import { createServer } from 'node:net';
import { CapturingApiLogger } from '../testing/capturing-api-logger';
import { FakePolygonServer } from '../testing/fake-polygon-server';
import { nextItem } from '../testing/next-item';
import { waitUntil } from '../testing/wait-until';
import { PolygonCryptoFeed, type PolygonFeedEvent } from './polygon-crypto-feed';

const T0 = Date.parse('2026-03-02T12:00:00Z');

function trade(i: number, pair = 'BTC-USD') {
  return { pair, p: 60_000 + i, s: 0.25, t: T0 + i * 1_000, c: [i % 2 === 0 ? 2 : 1], i: `t${i}`, x: 1 };
}

describe('PolygonCryptoFeed', () => {
  let fake: FakePolygonServer;
  let feed: PolygonCryptoFeed | undefined;
  let logger: CapturingApiLogger;

  beforeEach(async () => {
    fake = await FakePolygonServer.start({ apiKey: 'ws-secret-key-456' });
    logger = new CapturingApiLogger();
  });

  afterEach(async () => {
    await feed?.stop();
    feed = undefined;
    await fake.close();
  });

  function openFeed(options: Partial<ConstructorParameters<typeof PolygonCryptoFeed>[0]> = {}): PolygonCryptoFeed {
    feed = new PolygonCryptoFeed({
      apiKey: fake.apiKey,
      url: fake.wsUrl,
      reconnect: { initialDelayMs: 10, maxDelayMs: 40 },
      logger,
      ...options,
    });
    return feed;
  }

  it('authenticates, subscribes and delivers XT trades and XA aggregates as core Trades and Bars', async () => {
    const client = openFeed();
    client.subscribeTrades(['BTC-USD']);
    client.subscribeAggregates(['BTC-USD']);
    const trades = client.trades();
    const bars = client.bars();
    await client.start();
    await waitUntil(() => fake.subscriptionsOf('XA.BTC-USD').length === 1, 'the subscribe message');
    expect(fake.controlMessages.map((m) => [m.action, m.params])).toEqual([
      ['auth', fake.apiKey],
      ['subscribe', 'XT.BTC-USD,XA.BTC-USD'],
    ]);

    fake.publishTrade(trade(0));
    fake.publishTrade(trade(1));
    fake.publishAggregate({
      pair: 'BTC-USD',
      o: 60_000,
      h: 60_100,
      l: 59_900,
      c: 60_050,
      v: 12.5,
      s: T0,
      e: T0 + 60_000,
      vw: 60_010,
      z: 42,
    });

    expect(await nextItem(trades, 'trade')).toEqual<Trade>({
      symbol: 'BTC-USD',
      ts: T0,
      price: 60_000,
      quantity: 0.25,
      side: 'buy',
      id: '1:t0',
    });
    expect(await nextItem(trades, 'trade')).toMatchObject({ price: 60_001, side: 'sell' });
    expect(await nextItem(bars, 'bar')).toEqual<Bar>({
      symbol: 'BTC-USD',
      interval: '1m',
      ts: T0,
      open: 60_000,
      high: 60_100,
      low: 59_900,
      close: 60_050,
      volume: 12.5,
      vwap: 60_010,
      trades: 42,
    });
    expect(client.health()).toMatchObject({ state: 'ready', connects: 1, events: 3, invalidMessages: 0 });
  });

  it('reconnects after the server drops the socket and resubscribes every channel, including later ones', async () => {
    const client = openFeed();
    client.subscribeTrades(['BTC-USD']);
    const trades = client.trades();
    await client.start();
    client.subscribeTrades(['ETH-USD']);
    await waitUntil(() => fake.subscriptionsOf('XT.ETH-USD').length === 1, 'the late subscribe');
    fake.publishTrade(trade(1));
    expect(await nextItem(trades, 'trade before the drop')).toMatchObject({ id: '1:t1' });

    fake.dropConnections();
    await waitUntil(
      () => fake.feedConnections === 2 && fake.subscriptionsOf('XT.ETH-USD').length === 2,
      'the resubscribe',
    );
    const resubscribe = fake.controlMessages.filter((m) => m.connection === 1);
    expect(resubscribe.map((m) => [m.action, m.params])).toEqual([
      ['auth', fake.apiKey],
      ['subscribe', 'XT.BTC-USD,XT.ETH-USD'],
    ]);
    expect(fake.publishTrade(trade(2))).toBe(1);
    expect(fake.publishTrade(trade(3, 'ETH-USD'))).toBe(1);
    expect(await nextItem(trades, 'BTC trade after reconnect')).toMatchObject({ symbol: 'BTC-USD', id: '1:t2' });
    expect(await nextItem(trades, 'ETH trade after reconnect')).toMatchObject({ symbol: 'ETH-USD', id: '1:t3' });
    expect(client.health()).toMatchObject({ state: 'ready', connects: 2, reconnects: 1 });
    expect(logger.text()).not.toContain(fake.apiKey);
  });

  it('stops sending an unsubscribed channel and leaves it out of the resubscribe', async () => {
    const client = openFeed();
    client.subscribe(['XT.BTC-USD', 'XA.BTC-USD']);
    await client.start();
    client.unsubscribe(['XA.BTC-USD']);
    await waitUntil(() => fake.controlMessages.some((m) => m.action === 'unsubscribe'), 'the unsubscribe');
    fake.dropConnections();
    await waitUntil(() => fake.controlMessages.filter((m) => m.connection === 1).length === 2, 'the resubscribe');
    expect(fake.controlMessages.filter((m) => m.connection === 1)[1]).toEqual({
      connection: 1,
      action: 'subscribe',
      params: 'XT.BTC-USD',
    });
    expect(() => client.subscribe(['XT.btc-usd', 'trades'])).toThrow(ValidationError);
  });

  it('drops a connection whose pongs stopped and reconnects', async () => {
    await fake.close();
    fake = await FakePolygonServer.start({ apiKey: 'ws-secret-key-456', autoPong: false });
    const client = openFeed({ heartbeatIntervalMs: 25 });
    client.subscribeTrades(['BTC-USD']);
    await client.start();
    await waitUntil(() => fake.subscriptionsOf('XT.BTC-USD').length >= 2, 'a resubscribe after the missed pong');
    expect(
      logger.at('warn').some((line) => line.message === 'polygon feed missed a pong; dropping the connection'),
    ).toBe(true);
  });

  it('rejects malformed events with the field named, counts them and keeps going', async () => {
    const client = openFeed();
    client.subscribeTrades(['BTC-USD']);
    const events: AsyncIterator<PolygonFeedEvent> = client.events();
    await client.start();
    await waitUntil(() => fake.subscriptionsOf('XT.BTC-USD').length === 1, 'the subscribe');
    fake.sendRaw('not json at all');
    fake.sendRaw(JSON.stringify([{ ev: 'XT', pair: 'BTC-USD', p: 'sixty', s: 1, t: T0, i: 'bad' }]));
    fake.publishTrade(trade(4));
    let event = await nextItem(events, 'event');
    while (event.type === 'status') event = await nextItem(events, 'event');
    expect(event).toEqual({ type: 'trade', trade: expect.objectContaining({ id: '1:t4' }) });
    expect(client.health().invalidMessages).toBe(2);
    const rejected = logger.at('warn').filter((line) => line.message === 'polygon feed message rejected');
    expect(rejected.map((line) => (line.fields as { error: string }).error)).toEqual([
      'polygon feed message: (message): is not valid JSON',
      expect.stringMatching(/^polygon feed message: \[0\]\.p: .*expected number/),
    ]);
  });

  it('fails start and every consumer with UNAUTHORIZED on a refused key, without reconnecting or echoing the key', async () => {
    const client = openFeed({ apiKey: 'refused-key-789' });
    const trades = client.trades();
    const error = await client.start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((error as Error).message).toBe(`polygon feed ${fake.host}: authentication failed (authentication failed)`);
    await expect(trades.next()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(client.state).toBe('failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.feedConnections).toBe(1);
    expect(logger.text()).not.toContain('refused-key-789');
  });

  it('backs off 5 s doubling to 60 s while the server is unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const delays: number[] = [];
    let release: () => void = () => undefined;
    const sixDelays = new Promise<void>((resolve) => {
      release = resolve;
    });
    const client = openFeed({
      url: `ws://127.0.0.1:${port}/crypto`,
      reconnect: undefined,
      sleep: async (ms) => {
        if (delays.push(ms) === 6) release();
      },
    });
    const started = client.start().catch((e: unknown) => e);
    await sixDelays;
    await client.stop();
    expect(await started).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(delays.slice(0, 6)).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});
