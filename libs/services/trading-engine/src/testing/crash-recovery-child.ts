/*
 * The process crash-recovery.spec.ts kills: a paper-trading engine on a SQLite file, submitting and filling orders as
 * fast as it can. It prints one JSON line per thing it has acknowledged — an order whose submit resolved, and the
 * fills, positions and balances of every committed write — so the test knows what must survive a SIGKILL.
 */
import { ManualClock, openDatabase, type OrderRequest } from '@rrr/core';
import { TradingEngine } from '../engine/trading-engine';
import { sequentialIds } from '../oms/sequential-ids';
import { PaperExchange } from '../paper/paper-exchange';
import { allowAllPreTradeCheck } from '../risk/pre-trade-check';
import { SqlTradingStore } from '../store/sql-trading-store';
import type { TradingStore, TradingStoreChanges } from '../store/trading-store';
import { CRASH_INITIAL_CASH, CRASH_T0 } from './crash-recovery-constants';
import { makeBar } from './make-bar';

function print(line: unknown): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const sqlitePath = process.argv[2];
  const db = await openDatabase({ sqlitePath });
  const sql = new SqlTradingStore(db);
  const store: TradingStore = Object.assign(Object.create(sql) as TradingStore, {
    async write(changes: TradingStoreChanges) {
      await sql.write(changes);
      if (changes.fills !== undefined) {
        print({ type: 'committed', fills: changes.fills, positions: changes.positions, balances: changes.balances });
      }
    },
  });
  const clock = new ManualClock(CRASH_T0);
  const exchange = new PaperExchange({
    clock,
    initialBalances: { USD: CRASH_INITIAL_CASH },
    latency: { minMs: 0, maxMs: 0 },
    barVolumeShare: null,
  });
  const engine = new TradingEngine(
    { store, exchange, clock, risk: allowAllPreTradeCheck, ids: sequentialIds() },
    { quoteCurrency: 'USD', initialCash: CRASH_INITIAL_CASH, symbols: ['BTC-USD', 'ETH-USD'], snapshotEveryMs: 0 },
  );
  await engine.start();
  // Marks first: pre-trade risk prices market orders at the last close.
  clock.advance(60_000);
  await engine.processBar(makeBar('BTC-USD', CRASH_T0, { open: 40_000 }));
  await engine.processBar(makeBar('ETH-USD', CRASH_T0, { open: 2_000 }));
  print({ type: 'started' });
  let resting: string | undefined;
  for (let i = 0; ; i++) {
    const requests: OrderRequest[] = [
      { symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.01, clientOrderId: `c-${i}-a` },
    ];
    if (i % 2 === 1)
      requests.push({ symbol: 'BTC-USD', side: 'sell', type: 'market', quantity: 0.004, clientOrderId: `c-${i}-b` });
    if (i % 3 === 0)
      requests.push({
        symbol: 'ETH-USD',
        side: 'buy',
        type: 'limit',
        price: 1_000 + (i % 7),
        quantity: 0.1,
        clientOrderId: `c-${i}-c`,
      });
    const submitted = requests.map((r) =>
      engine.oms.submitOrder(r).then((order) => {
        print({ type: 'ack', order });
        return order;
      }),
    );
    if (i % 5 === 4 && resting !== undefined) {
      const id = resting;
      resting = undefined;
      // The resting order may have filled meanwhile: then the cancel is refused (CONFLICT) and nothing is acknowledged.
      const cancelled = engine.oms.cancelOrder(id).then(
        (order) => {
          print({ type: 'ack', order });
          return order;
        },
        (error: { code?: string }) => {
          if (error.code !== 'CONFLICT') throw error;
          return undefined;
        },
      );
      submitted.push(cancelled.then(() => engine.oms.getOrder(id)));
    }
    const orders = await Promise.all(submitted);
    resting ??= orders.find((o) => o.symbol === 'ETH-USD' && o.status === 'accepted')?.id;
    const ts = clock.now();
    clock.advance(60_000);
    await engine.processBar(makeBar('BTC-USD', ts, { open: 40_000 + (i % 11) * 10.125, volume: 1_000 }));
    await engine.processBar(makeBar('ETH-USD', ts, { open: 2_000 + (i % 5), low: 999 + (i % 13), volume: 1_000 }));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
