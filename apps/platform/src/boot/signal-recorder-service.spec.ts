import {
  createLogger,
  createNatsEventBus,
  InProcessEventBus,
  ManualClock,
  openDatabase,
  PostgresTestSchemas,
  type Database,
  type NatsEventBus,
  type OpenDatabaseOptions,
  type PlatformTopics,
  type Signal,
} from '@rrr/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'nats';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createSignalRecorderService, type SignalRecorderService } from './signal-recorder-service';

const T0 = Date.UTC(2024, 0, 2);

function signal(i: number, source = 'sma-cross(20,50)'): Signal {
  return { symbol: i % 2 === 0 ? 'BTC-USD' : 'ETH-USD', ts: T0 + i * 60_000, direction: 'long', strength: 0.5, source };
}

/** Where each case's database lives: a file in a temp folder, or a fresh schema on the test PostgreSQL. */
interface Target {
  dialect: string;
  setUp(): Promise<void>;
  fresh(): Promise<OpenDatabaseOptions>;
  tearDown(): Promise<void>;
}

function sqliteTarget(): Target {
  let dir = '';
  let n = 0;
  return {
    dialect: 'sqlite',
    setUp: async () => {
      dir = mkdtempSync(join(tmpdir(), 'rrr-signal-recorder-'));
    },
    fresh: async () => ({ sqlitePath: join(dir, `case-${++n}.db`) }),
    tearDown: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresTarget(): Target {
  let schemas: PostgresTestSchemas | undefined;
  return {
    dialect: 'postgres',
    setUp: async () => {
      schemas = await PostgresTestSchemas.connect();
    },
    fresh: async () => {
      if (schemas === undefined) throw new Error('PostgreSQL test schemas are not set up (see the beforeAll error)');
      return { url: (await schemas.create()).url, sqlitePath: '', poolMax: 2 };
    },
    tearDown: async () => schemas?.dropAll(),
  };
}

describe.each([sqliteTarget(), postgresTarget()])('signal recorder service ($dialect)', (target) => {
  let db: Database;
  let bus: InProcessEventBus;
  let recorder: SignalRecorderService;
  const logs: string[] = [];
  const handlerErrors: string[] = [];

  beforeAll(() => target.setUp());
  afterAll(() => target.tearDown());

  beforeEach(async () => {
    db = await openDatabase(await target.fresh());
    handlerErrors.length = 0;
    // A failed write fails the signal's handler (a durable bus redelivers it): the bus reports it, here to the spec.
    bus = new InProcessEventBus({ onHandlerError: (error) => void handlerErrors.push(String(error)) });
    logs.length = 0;
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    recorder = createSignalRecorderService({
      db,
      bus,
      logger: createLogger({ level: 'warn', destination }),
      clock: new ManualClock(T0 + 1),
    });
  });

  afterEach(async () => {
    await recorder.stop();
    await bus.close();
    await db.close();
  });

  const rows = () =>
    db.query<{ ts: number; symbol: string; source: string; created_at: number }>(
      'SELECT ts, symbol, source, created_at FROM signals ORDER BY ts',
    );

  it('is down until started, then records a burst of signals once each, stamped with the recording time', async () => {
    expect(recorder.health()).toMatchObject({ status: 'down' });
    await recorder.start();
    const burst = Array.from({ length: 250 }, (_, i) => signal(i));
    await Promise.all(burst.map((s) => bus.publish('signal', s)));
    // A redelivered signal (same source, symbol and instant) is not stored twice.
    await bus.publish('signal', { ...burst[7] });
    await bus.idle();
    await recorder.flush();
    const stored = await rows();
    expect(stored.map((r) => r.ts)).toEqual(burst.map((s) => s.ts));
    expect(new Set(stored.map((r) => r.created_at))).toEqual(new Set([T0 + 1]));
    expect(recorder.health()).toEqual({
      status: 'up',
      details: { recorded: 250, duplicates: 1, invalid: 0, failedWrites: 0, pending: 0 },
    });
  });

  it('writes what it has received before it stops', async () => {
    await recorder.start();
    await bus.publish('signal', signal(1));
    await bus.publish('signal', signal(2, 'btc-lstm@1'));
    await bus.idle();
    await recorder.stop();
    expect((await rows()).map((r) => [r.source, r.symbol])).toEqual([
      ['sma-cross(20,50)', 'ETH-USD'],
      ['btc-lstm@1', 'BTC-USD'],
    ]);
    // Stopped: nothing more is recorded.
    await bus.publish('signal', signal(3));
    await bus.idle();
    expect((await rows()).length).toBe(2);
  });

  it('counts a failed write, reports degraded, and recovers once writes succeed again', async () => {
    await recorder.start();
    await db.execute('ALTER TABLE signals RENAME TO signals_away');
    await bus.publish('signal', signal(1));
    await bus.idle();
    await recorder.flush();
    expect(recorder.health()).toMatchObject({
      status: 'degraded',
      details: { recorded: 0, failedWrites: 1, lastError: expect.stringContaining('signals') },
    });
    expect(logs.join('')).toContain('signals could not be recorded');
    expect(handlerErrors).toEqual([expect.stringContaining('signals')]);

    await db.execute('ALTER TABLE signals_away RENAME TO signals');
    await bus.publish('signal', signal(2));
    await bus.idle();
    await recorder.flush();
    expect(recorder.health()).toMatchObject({ status: 'up', details: { recorded: 1, failedWrites: 1 } });
    expect((await rows()).map((r) => r.ts)).toEqual([signal(2).ts]);
  });
});

/**
 * On NATS the recorder's durable consumer acknowledges a signal only once it is stored: a write that fails gets the
 * signal redelivered (here after 50 ms, doubling), and it is stored once the database takes it again.
 */
describe('signal recorder service on the NATS bus', () => {
  const runId = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let dir: string;
  let db: Database;
  let bus: NatsEventBus<PlatformTopics>;
  let recorder: SignalRecorderService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-signal-recorder-nats-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    bus = await createNatsEventBus<PlatformTopics>({
      url: 'nats://127.0.0.1:4222',
      stream: `RRRTEST_SIGNALS_${runId}`,
      prefix: `rrrtest_signals_${runId}`,
      nakDelayMs: 50,
      onHandlerError: () => undefined,
    });
    recorder = createSignalRecorderService({ db, bus, logger: createLogger({ level: 'silent' }) });
  });

  afterAll(async () => {
    await recorder.stop();
    await bus.close();
    const admin = await connect({ servers: 'nats://127.0.0.1:4222' });
    await (await admin.jetstreamManager()).streams.delete(`RRRTEST_SIGNALS_${runId}`).catch(() => false);
    await admin.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets a signal whose write failed redelivered, and stores it once the database takes it again', async () => {
    await recorder.start();
    await db.execute('ALTER TABLE signals RENAME TO signals_away');
    await bus.publish('signal', signal(1));
    const deadline = Date.now() + 5_000;
    while (recorder.health().details?.['failedWrites'] === 0 && Date.now() < deadline) await sleep(10);
    expect(recorder.health()).toMatchObject({ status: 'degraded', details: { recorded: 0 } });

    await db.execute('ALTER TABLE signals_away RENAME TO signals');
    while (recorder.health().details?.['recorded'] === 0 && Date.now() < deadline) await sleep(10);
    expect(recorder.health()).toMatchObject({ status: 'up', details: { recorded: 1 } });
    expect(await db.query('SELECT symbol, ts, source FROM signals')).toEqual([
      { symbol: 'ETH-USD', ts: signal(1).ts, source: 'sma-cross(20,50)' },
    ]);
  });
});
