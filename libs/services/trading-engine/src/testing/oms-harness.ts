import { ManualClock, openDatabase, type Database, type PlatformTopics } from '@rrr/core';
import { PreTradeRiskEngine, type RiskLimits } from '@rrr/risk-management';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderManager, type TradingTopic } from '../oms/order-manager';
import { sequentialIds } from '../oms/sequential-ids';
import { dailySessionCalendar, type SessionCalendar } from '../orders/session-calendar';
import { PaperExchange, type PaperExchangeOptions } from '../paper/paper-exchange';
import { fixedBpsSlippage } from '../paper/slippage-model';
import { Portfolio } from '../portfolio/portfolio';
import { SqlTradingStore } from '../store/sql-trading-store';
import type { TradingStore, TradingStoreChanges } from '../store/trading-store';

export const T0 = Date.UTC(2024, 0, 2, 10);

export interface HarnessOptions {
  paper?: Partial<PaperExchangeOptions>;
  risk?: Partial<RiskLimits>;
  symbols?: string[];
  sessions?: SessionCalendar;
  dir?: string;
  clock?: ManualClock;
}

export interface Harness {
  dir: string;
  db: Database;
  store: TradingStore;
  exchange: PaperExchange;
  portfolio: Portfolio;
  oms: OrderManager;
  clock: ManualClock;
  /** Every committed write (summarised) and every publication, in the order they happened. */
  log: string[];
  published: Array<{ topic: TradingTopic; payload: PlatformTopics[TradingTopic] }>;
  close(): Promise<void>;
}

function summarise(changes: TradingStoreChanges): string {
  const parts = [
    ...(changes.orders ?? []).map((w) => `${w.order.id}:${w.order.status}`),
    ...(changes.fills ?? []).map((f) => `fill:${f.orderId}`),
    ...(changes.rejections ?? []).map((r) => `rejection:${r.code}`),
  ];
  return `write ${parts.join(' ')}`;
}

/** An OMS over a real SQLite file, the paper exchange (no latency, no volume cap) and the real pre-trade risk engine. */
export async function createOmsHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'rrr-te-oms-'));
  const db = await openDatabase({ sqlitePath: join(dir, 'engine.db') });
  const clock = options.clock ?? new ManualClock(T0);
  const log: string[] = [];
  const sql = new SqlTradingStore(db);
  const store: TradingStore = Object.assign(Object.create(sql) as TradingStore, {
    write: async (changes: TradingStoreChanges) => {
      await sql.write(changes);
      log.push(summarise(changes));
    },
  });
  const exchange = new PaperExchange({
    clock,
    initialBalances: { USD: 100_000 },
    latency: { minMs: 0, maxMs: 0 },
    barVolumeShare: null,
    slippage: fixedBpsSlippage(0),
    ...options.paper,
  });
  const portfolio = new Portfolio({ quoteCurrency: 'USD', initialCash: 100_000 });
  const symbols = options.symbols ?? ['BTC-USD', 'ETH-USD'];
  const published: Harness['published'] = [];
  const oms = new OrderManager({
    store,
    exchange,
    portfolio,
    clock,
    risk: new PreTradeRiskEngine({ limits: options.risk ?? {}, knownSymbols: symbols }),
    publish: (topic, payload) => {
      published.push({ topic, payload });
      log.push(`publish ${topic}${'id' in payload && 'status' in payload ? ` ${payload.id}:${payload.status}` : ''}`);
    },
    sessions: options.sessions ?? dailySessionCalendar(),
    ids: sequentialIds(),
    symbols,
    logger: {
      info: () => undefined,
      warn: (context, message) =>
        log.push(`warn ${message}: ${String((context.err as Error | undefined)?.message ?? '')}`),
      error: (context, message) =>
        log.push(`error ${message}: ${String((context.err as Error | undefined)?.message ?? '')}`),
    },
  });
  await oms.recover();
  return {
    dir,
    db,
    store,
    exchange,
    portfolio,
    oms,
    clock,
    log,
    published,
    async close() {
      await oms.flush().catch(() => undefined);
      await db.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
