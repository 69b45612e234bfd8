import {
  errorMessage,
  systemClock,
  validateSignal,
  type BusSubscription,
  type Clock,
  type Database,
  type DbInsertRow,
  type EventBus,
  type HealthReport,
  type RrrLogger,
  type Service,
  type Signal,
} from '@rrr/core';

export interface SignalRecorderDeps {
  db: Database;
  bus: EventBus;
  logger: Pick<RrrLogger, 'warn' | 'error'>;
  clock?: Clock;
}

/** Persists the 'signal' topic to the signals table; `flush` resolves once everything received so far is written. */
export interface SignalRecorderService extends Service {
  flush(): Promise<void>;
  health(): HealthReport;
}

/** One signal per source, symbol and instant (the table's unique key): a redelivered event is not stored twice. */
const IGNORE_DUPLICATES = { onConflict: { target: ['source', 'symbol', 'ts'], action: 'ignore' } } as const;

/**
 * Records every signal the strategies and models publish, so the API can list them after the fact. A signal's handler
 * returns only once its insert has committed, and fails when it failed: on a durable bus (NATS) the event is
 * acknowledged after the write — a crash before it, or a failed write, gets it redelivered, and the table's unique key
 * keeps a redelivered signal from being stored twice. The buses hand a subscriber its events one at a time, so this is
 * one insert per signal: a few per bar close, which the database takes without batching. A failed write is logged and
 * counted (health degraded until a write succeeds again).
 */
export function createSignalRecorderService(deps: SignalRecorderDeps): SignalRecorderService {
  const clock = deps.clock ?? systemClock;
  const writing = new Set<Promise<void>>();
  let subscription: BusSubscription | undefined;
  let recorded = 0;
  let duplicates = 0;
  let invalid = 0;
  let failedWrites = 0;
  let lastError: string | undefined;

  async function write(row: DbInsertRow<'signals'>): Promise<void> {
    try {
      const written = await deps.db.insertMany('signals', [row], IGNORE_DUPLICATES);
      recorded += written;
      duplicates += 1 - written;
      lastError = undefined;
    } catch (error) {
      failedWrites += 1;
      lastError = errorMessage(error);
      deps.logger.error({ err: error, signals: 1 }, 'signals could not be recorded');
      throw error;
    }
  }

  /** Resolves once the signal is stored (or was invalid: redelivering it cannot help); rejects if its write failed. */
  function receive(payload: Signal): Promise<void> {
    const problems = validateSignal(payload);
    if (problems.length > 0) {
      invalid += 1;
      deps.logger.warn({ problems }, 'invalid signal not recorded');
      return Promise.resolve();
    }
    const done = write({
      ts: payload.ts,
      symbol: payload.symbol,
      source: payload.source,
      direction: payload.direction,
      strength: payload.strength,
      price: payload.price ?? null,
      reason: payload.reason ?? null,
      created_at: clock.now(),
    });
    writing.add(done);
    void done.then(
      () => writing.delete(done),
      () => writing.delete(done),
    );
    return done;
  }

  async function flush(): Promise<void> {
    while (writing.size > 0) await Promise.allSettled([...writing]);
  }

  return {
    async start() {
      subscription = await deps.bus.subscribe('signal', receive, { durable: 'signal-recorder' });
    },
    async stop() {
      const current = subscription;
      subscription = undefined;
      await current?.unsubscribe();
      await flush();
    },
    flush,
    health(): HealthReport {
      const details = { recorded, duplicates, invalid, failedWrites, pending: writing.size };
      if (subscription === undefined) return { status: 'down', details: { ...details, reason: 'not started' } };
      if (lastError !== undefined) return { status: 'degraded', details: { ...details, lastError } };
      return { status: 'up', details };
    },
  };
}
