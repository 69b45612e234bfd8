import { InProcessEventBus, ManualClock, createMetricsRegistry, type Bar, type Database, type Trade } from '@rrr/core';
import { BarStore } from '../storage/bar-store';
import { countQuarantined } from '../storage/quarantine-store';
import { ManualFeedTimer } from '../testing/manual-feed-timer';
import { TempSqlite } from '../testing/temp-sqlite';
import { createDataPipelineService, type DataPipelineServiceConfig } from './data-pipeline-service';

const T0 = Date.UTC(2026, 0, 5, 9);
const CONFIG: DataPipelineServiceConfig = {
  symbols: ['SPX', 'AAPL', 'BTC-USD', 'ETH-USD'],
  syntheticSeed: 42,
  live: { enabled: true, tickMs: 1_000, windowSize: 5 },
  policies: { file: 'quarantine' },
};

describe('createDataPipelineService', () => {
  const temp = new TempSqlite('rrr-data-service-');
  let db: Database;
  let bus: InProcessEventBus;

  beforeAll(async () => {
    db = await temp.open();
    bus = new InProcessEventBus();
  });

  afterAll(async () => {
    await bus.close();
    await temp.cleanup();
  });

  it('loads the bundled data on start, runs the live feed onto the bus, and stops cleanly', async () => {
    const clock = new ManualClock(T0);
    const timer = new ManualFeedTimer();
    const metrics = createMetricsRegistry();
    const service = createDataPipelineService({ db, bus, clock, timer, metrics }, CONFIG);
    const published: Bar[] = [];
    const trades: Trade[] = [];
    const barSub = await bus.subscribe('bar', (bar) => void published.push(bar));
    const tradeSub = await bus.subscribe('trade', (trade) => void trades.push(trade));
    expect((await service.health()).status).toBe('down');

    await service.start();
    expect(await service.health()).toMatchObject({
      status: 'up',
      details: { bundled: { SPX: { bars: 5105, status: 'completed' }, AAPL: { bars: 1260, status: 'completed' } } },
    });
    const listing = await service.listSymbols();
    expect(listing.map((l) => [l.symbol, l.assetClass, l.series[0]?.bars])).toEqual([
      ['AAPL', 'equity', 1260],
      ['SPX', 'index', 5105],
    ]);

    timer.fire(clock, 7 * 60);
    await new Promise((resolve) => setImmediate(resolve));
    expect(published.map((b) => b.symbol).sort()).toEqual([...Array(7).fill('BTC-USD'), ...Array(7).fill('ETH-USD')]);
    expect(trades.length).toBeGreaterThan(2 * 7 * 60);
    const latest = service.latest('BTC-USD', 3);
    expect(latest.map((b) => b.ts)).toEqual([T0 + 4 * 60_000, T0 + 5 * 60_000, T0 + 6 * 60_000]);
    expect(service.latest('BTC-USD', 100)).toHaveLength(5);
    expect((await service.health()).details).toMatchObject({
      live: { symbols: ['BTC-USD', 'ETH-USD'], running: true, bars: 14 },
    });

    await service.stop();
    expect(timer.pending).toBeUndefined();
    // Live bars were stored in batches; stop flushed the last batch.
    expect(await new BarStore(db).count({ symbol: 'ETH-USD', interval: '1m' })).toBe(7);
    expect(await metrics.metrics()).toContain('rrr_data_live_bars_total{symbol="BTC-USD"} 7');
    await barSub.unsubscribe();
    await tradeSub.unsubscribe();
  });

  it('recognises already-loaded bundled data on restart, and reloads it if bars went missing', async () => {
    const service = createDataPipelineService({ db, bus }, { ...CONFIG, live: { enabled: false } });
    await service.start();
    expect((await service.health()).details).toMatchObject({
      bundled: { SPX: { status: 'already-complete', bars: 5105 } },
    });
    await service.stop();

    await new BarStore(db).delete({ symbol: 'AAPL', interval: '1d', from: Date.UTC(2017, 0, 1) + 1 });
    const again = createDataPipelineService({ db, bus }, { ...CONFIG, live: { enabled: false } });
    await again.start();
    expect((await again.health()).details).toMatchObject({ bundled: { AAPL: { status: 'completed', bars: 1260 } } });
    expect(await new BarStore(db).series('AAPL')).toEqual([
      { symbol: 'AAPL', interval: '1d', bars: 1260, firstTs: Date.UTC(2013, 4, 13), lastTs: Date.UTC(2018, 4, 11) },
    ]);
    await again.stop();
  });

  it('exposes import, backfill, quality and reads, applying the per-source policy', async () => {
    const service = createDataPipelineService({ db, bus }, { ...CONFIG, loadBundled: false, live: { enabled: false } });
    await service.start();
    const path = temp.file(
      'btc.csv',
      'date,open,high,low,close,volume\n2024-01-01,10,12,9,11,5\n2024-01-02,11,10,9,10.5,5\n',
    );
    const imported = await service.importFile(path, { symbol: 'SOL-USD' });
    expect(imported).toMatchObject({ barsStored: 1, quarantined: 1 });
    expect(await countQuarantined(db, { symbol: 'SOL-USD' })).toBe(1);

    const backfill = await service.runBackfill({
      source: 'synthetic',
      symbol: 'BTC-USD',
      interval: '1h',
      from: Date.UTC(2024, 0, 1),
      to: Date.UTC(2024, 0, 3),
    });
    expect(backfill).toMatchObject({ status: 'completed', barsStored: 48 });
    const page = await service.readBars({ symbol: 'BTC-USD', interval: '1h', limit: 10 });
    expect(page.bars[0]).toMatchObject({ ts: Date.UTC(2024, 0, 1), open: 50_000 });
    const streamed: Bar[] = [];
    for await (const batch of service.streamBars({ symbol: 'BTC-USD', interval: '1h' }, 20)) streamed.push(...batch);
    expect(streamed).toHaveLength(48);

    const quality = await service.qualityReport({ symbol: 'SOL-USD' });
    expect(quality).toMatchObject({ symbol: 'SOL-USD', quarantined: 1 });
    expect(quality.quarantineSample[0]).toMatchObject({ line: 3, raw: '2024-01-02,11,10,9,10.5,5' });
    await service.stop();
  });

  it('refuses a live feed with no crypto symbols', async () => {
    const service = createDataPipelineService(
      { db, bus },
      { symbols: ['SPX'], syntheticSeed: 1, loadBundled: false, live: { enabled: true } },
    );
    await expect(service.start()).rejects.toThrow('live.symbols: no crypto symbols to run the live feed for');
  });
});
