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
}

/** One signal per source, symbol and instant (the table's unique key): a redelivered event is not stored twice. */
const IGNORE_DUPLICATES = { onConflict: { target: ['source', 'symbol', 'ts'], action: 'ignore' } } as const;

/**
 * Records every signal the strategies and models publish, so the API can list them after the fact. Writes are grouped:
 * the bus handler only queues the signal, and one multi-row insert takes everything that arrived while the previous
 * insert ran (a burst of bar closes across symbols is one statement). The bus is never held up by the database; the
 * price is that a crash loses the signals of the insert in flight, while a stop writes them all first. A failed write
 * is logged and counted (health degraded until a write succeeds again), never retried into a loop.
 */
export function createSignalRecorderService(deps: SignalRecorderDeps): SignalRecorderService {
  const clock = deps.clock ?? systemClock;
  let pending: DbInsertRow<'signals'>[] = [];
  let writing: Promise<void> | undefined;
  let subscription: BusSubscription | undefined;
  let recorded = 0;
  let duplicates = 0;
  let invalid = 0;
  let lost = 0;
  let lastError: string | undefined;

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        const written = await deps.db.insertMany('signals', batch, IGNORE_DUPLICATES);
        recorded += written;
        duplicates += batch.length - written;
        lastError = undefined;
      } catch (error) {
        lost += batch.length;
        lastError = errorMessage(error);
        deps.logger.error({ err: error, signals: batch.length }, 'signals could not be recorded');
      }
    }
  }

  function schedule(): void {
    if (writing !== undefined) return;
    const run = drain();
    writing = run;
    // A signal queued after the loop ended but before this runs found `writing` still set: pick it up here.
    void run.then(() => {
      writing = undefined;
      if (pending.length > 0) schedule();
    });
  }

  function receive(payload: Signal): void {
    const problems = validateSignal(payload);
    if (problems.length > 0) {
      invalid += 1;
      deps.logger.warn({ problems }, 'invalid signal not recorded');
      return;
    }
    pending.push({
      ts: payload.ts,
      symbol: payload.symbol,
      source: payload.source,
      direction: payload.direction,
      strength: payload.strength,
      price: payload.price ?? null,
      reason: payload.reason ?? null,
      created_at: clock.now(),
    });
    schedule();
  }

  async function flush(): Promise<void> {
    while (writing !== undefined || pending.length > 0) {
      if (writing === undefined) schedule();
      await writing;
    }
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
      const details = { recorded, duplicates, invalid, lost, pending: pending.length };
      if (subscription === undefined) return { status: 'down', details: { ...details, reason: 'not started' } };
      if (lastError !== undefined) return { status: 'degraded', details: { ...details, lastError } };
      return { status: 'up', details };
    },
  };
}
