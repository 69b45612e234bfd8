import { bundledWorkerScript, ManualClock, openDatabase, type Fill } from '@rrr/core';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TradingEngine } from './engine/trading-engine';
import { sequentialIds } from './oms/sequential-ids';
import type { OmsOrder } from './orders/oms-order';
import { PaperExchange } from './paper/paper-exchange';
import type { Balances } from './portfolio/balances';
import { Portfolio } from './portfolio/portfolio';
import type { TradingPosition } from './positions/trading-position';
import { allowAllPreTradeCheck } from './risk/pre-trade-check';
import { SqlTradingStore } from './store/sql-trading-store';
import { CRASH_INITIAL_CASH, CRASH_T0 } from './testing/crash-recovery-constants';
import { makeBar } from './testing/make-bar';

type Line =
  | { type: 'started' }
  | { type: 'ack'; order: OmsOrder }
  | {
      type: 'committed';
      fills: Fill[];
      positions: Array<{ position: TradingPosition }>;
      balances: Array<{ currency: string; amount: number }>;
    };

const ACKS_BEFORE_KILL = 60;

/**
 * kill -9 in the middle of a paper-trading session, then a restart: the book rebuilt from the database must hold
 * every order and fill the dead process acknowledged, and its positions and cash must be exactly what its persisted
 * fills make them.
 */
describe('crash recovery after SIGKILL', () => {
  let dir: string;
  let bundle: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-te-crash-'));
    // Bundled like a worker script: a file under the workspace's node_modules that node runs as a process too.
    bundle = await bundledWorkerScript(
      'libs/services/trading-engine/src/testing/crash-recovery-child.ts',
      'rrr-test-children',
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runUntilKilled(
    sqlitePath: string,
  ): Promise<{ lines: Line[]; signal: NodeJS.Signals | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bundle, sqlitePath], {
        env: { PATH: process.env.PATH },
        cwd: dir,
      });
      const lines: Line[] = [];
      let buffer = '';
      let stderr = '';
      let acks = 0;
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        // The last part is an unfinished line: a SIGKILL may cut it, so only complete lines count.
        buffer = parts.pop() ?? '';
        for (const part of parts) {
          const line = JSON.parse(part) as Line;
          lines.push(line);
          if (line.type === 'ack' && ++acks === ACKS_BEFORE_KILL) child.kill('SIGKILL');
        }
      });
      child.on('error', reject);
      child.on('exit', (_code, signal) => resolve({ lines, signal, stderr }));
    });
  }

  it('rebuilds orders, positions and cash exactly; no acknowledged order or fill is lost', async () => {
    const sqlitePath = join(dir, 'engine.db');
    const { lines, signal, stderr } = await runUntilKilled(sqlitePath);
    expect([signal, stderr]).toEqual(['SIGKILL', '']);

    const db = await openDatabase({ sqlitePath });
    try {
      const store = new SqlTradingStore(db);
      const stored = await store.loadState();

      // Every acknowledged order is there, at its acknowledged version or later; at the same version, identical.
      const acked = new Map<string, OmsOrder>();
      for (const line of lines) if (line.type === 'ack') acked.set(line.order.id, line.order);
      expect(acked.size).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL - 5);
      for (const order of acked.values()) {
        const row = await store.getOrder(order.id);
        expect(row).toBeDefined();
        expect((row as OmsOrder).version).toBeGreaterThanOrEqual(order.version);
        if ((row as OmsOrder).version === order.version) expect(row).toEqual(order);
      }

      // Every acknowledged fill is there, identical and in the same order: the acknowledged ones are a prefix.
      const ackedFills = lines.flatMap((l) => (l.type === 'committed' ? l.fills : []));
      const storedFills = await store.listFills();
      expect(ackedFills.length).toBeGreaterThan(10);
      expect(storedFills.slice(0, ackedFills.length)).toEqual(ackedFills);

      // Positions and the ledger are exactly what the persisted fills make them (no fill without its position and
      // balances, none of those without their fill).
      const replay = new Portfolio({ quoteCurrency: 'USD', initialCash: CRASH_INITIAL_CASH });
      for (const fill of storedFills) replay.applyFill(fill);
      expect(stored.balances).toEqual(replay.balances());
      expect(stored.positions).toEqual(replay.positions());
      if (storedFills.length === ackedFills.length) {
        const last: Balances = {};
        for (const l of lines) if (l.type === 'committed') for (const b of l.balances) last[b.currency] = b.amount;
        expect(stored.balances).toEqual(last);
      }

      // A restarted engine holds that book, re-books the venue's working orders, and carries on with fresh ids.
      const clock = new ManualClock(CRASH_T0 + 10 * 86_400_000);
      const exchange = new PaperExchange({
        clock,
        initialBalances: { USD: 0 },
        latency: { minMs: 0, maxMs: 0 },
        barVolumeShare: null,
      });
      const engine = new TradingEngine(
        { store, exchange, clock, risk: allowAllPreTradeCheck, ids: sequentialIds() },
        { quoteCurrency: 'USD', initialCash: CRASH_INITIAL_CASH, symbols: ['BTC-USD', 'ETH-USD'] },
      );
      await engine.start();
      expect(engine.portfolio.balances()).toEqual(replay.balances());
      expect(engine.portfolio.positions()).toEqual(replay.positions());
      expect(exchange.balances()).toEqual(replay.balances());
      const venueWorking = stored.workingOrders.filter((o) => o.status !== 'pending-new').map((o) => o.id);
      expect(exchange.workingOrderIds().slice(0, venueWorking.length)).toEqual(venueWorking);

      const next = await engine.oms.submitOrder({ symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.01 });
      expect(next.id > (stored.lastOrderId ?? '')).toBe(true);
      await engine.processBar(makeBar('BTC-USD', clock.now(), { open: 40_000 }));
      await engine.stop();
      expect(await engine.oms.getOrder(next.id)).toMatchObject({ status: 'filled' });
      const fills = await store.listFills();
      expect(fills.length).toBeGreaterThan(storedFills.length);
      expect(new Set(fills.map((f) => f.id)).size).toBe(fills.length);
    } finally {
      await db.close();
    }
  }, 20_000);
});
