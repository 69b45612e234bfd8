import { InProcessEventBus, ManualClock, type Bar, type Database } from '@rrr/core';
import { BarStore } from '../storage/bar-store';
import { ManualFeedTimer } from '../testing/manual-feed-timer';
import { TempSqlite } from '../testing/temp-sqlite';
import { createDataPipelineService, type DataPipelineServiceConfig } from './data-pipeline-service';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9);
const CONFIG: DataPipelineServiceConfig = {
  symbols: ['BTC-USD', 'ETH-USD'],
  syntheticSeed: 42,
  loadBundled: false,
  live: { enabled: true, tickMs: 1_000, historyBars: 50 },
};

describe('the data pipeline service storing the live feed history', () => {
  const temp = new TempSqlite('rrr-data-live-history-');
  let db: Database;
  let bus: InProcessEventBus;
  let store: BarStore;
  const published: Bar[] = [];

  beforeAll(async () => {
    db = await temp.open();
    store = new BarStore(db);
    bus = new InProcessEventBus();
    await bus.subscribe('bar', (bar) => void published.push(bar));
  });

  afterAll(async () => {
    await bus.close();
    await temp.cleanup();
  });

  it('stores the history before going live, keeps it for latest(), and does not publish it', async () => {
    const clock = new ManualClock(T0 + 20_000);
    const service = createDataPipelineService({ db, bus, clock, timer: new ManualFeedTimer() }, CONFIG);
    await service.start();
    for (const symbol of ['BTC-USD', 'ETH-USD']) {
      const stored = await store.latest({ symbol, interval: '1m', n: 100 });
      expect(stored.map((b) => b.ts)).toEqual(Array.from({ length: 50 }, (_, i) => T0 - (50 - i) * MIN));
      expect(service.latest(symbol, 100)).toEqual(stored);
    }
    await bus.idle();
    expect(published).toEqual([]);
    await service.stop();
  });

  it('after a restart continues each series from its last stored close, adding only the bars missing since', async () => {
    const [before] = await store.latest({ symbol: 'BTC-USD', interval: '1m', n: 1 });
    const clock = new ManualClock(T0 + 7 * MIN + 5_000);
    const service = createDataPipelineService({ db, bus, clock, timer: new ManualFeedTimer() }, CONFIG);
    await service.start();
    const btc = await store.latest({ symbol: 'BTC-USD', interval: '1m', n: 100 });
    expect(btc).toHaveLength(57);
    expect(btc.slice(0, 50).at(-1)).toEqual(before);
    const added = btc.slice(50);
    expect(added.map((b) => b.ts)).toEqual(Array.from({ length: 7 }, (_, i) => T0 + i * MIN));
    expect(added[0].open).toBe(before.close);
    expect(await store.count({ symbol: 'ETH-USD', interval: '1m' })).toBe(57);
    await service.stop();
  });
});
