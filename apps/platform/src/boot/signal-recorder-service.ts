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

/** Signals waiting for the next insert, and how the handlers that delivered them learn its outcome. */
interface PendingBatch {
  rows: DbInsertRow<'signals'>[];
  written: Promise<void>;
  settle(error?: unknown): void;
}

function newBatch(): PendingBatch {
  let settle!: (error?: unknown) => void;
  const written = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // A batch nobody awaits (everything in it was invalid, or the bus dropped its handlers) must not be unhandled.
  written.catch(() => undefined);
  return { rows: [], written, settle };
}

/**
 * Records every signal the strategies and models publish, so the API can list them after the fact. Writes are grouped:
 * one multi-row insert takes everything that arrived while the previous insert ran (a burst of bar closes across
 * symbols is one statement). A signal's handler returns only once the insert holding it has committed, and fails
 * when it failed: on a durable bus (NATS) the event is acknowledged after the write — a crash before it, or a failed
 * write, gets it redelivered, and the table's unique key keeps a redelivered signal from being stored twice. A failed
 * write is logged and counted (health degraded until a write succeeds again).
 */
export function createSignalRecorderService(deps: SignalRecorderDeps): SignalRecorderService {
  const clock = deps.clock ?? systemClock;
  let pending = newBatch();
  let writing: Promise<void> | undefined;
  let subscription: BusSubscription | undefined;
  let recorded = 0;
  let duplicates = 0;
  let invalid = 0;
  let failedWrites = 0;
  let lastError: string | undefined;

  async function drain(): Promise<void> {
    while (pending.rows.length > 0) {
      const batch = pending;
      pending = newBatch();
      try {
        const written = await deps.db.insertMany('signals', batch.rows, IGNORE_DUPLICATES);
        recorded += written;
        duplicates += batch.rows.length - written;
        lastError = undefined;
        batch.settle();
      } catch (error) {
        failedWrites += batch.rows.length;
        lastError = errorMessage(error);
        deps.logger.error({ err: error, signals: batch.rows.length }, 'signals could not be recorded');
        batch.settle(error);
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
      if (pending.rows.length > 0) schedule();
    });
  }

  /** Resolves once the signal is stored (or was invalid: redelivering it cannot help); rejects if its write failed. */
  function receive(payload: Signal): Promise<void> {
    const problems = validateSignal(payload);
    if (problems.length > 0) {
      invalid += 1;
      deps.logger.warn({ problems }, 'invalid signal not recorded');
      return Promise.resolve();
    }
    const batch = pending;
    batch.rows.push({
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
    return batch.written;
  }

  async function flush(): Promise<void> {
    while (writing !== undefined || pending.rows.length > 0) {
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
      const details = { recorded, duplicates, invalid, failedWrites, pending: pending.rows.length };
      if (subscription === undefined) return { status: 'down', details: { ...details, reason: 'not started' } };
      if (lastError !== undefined) return { status: 'degraded', details: { ...details, lastError } };
      return { status: 'up', details };
    },
  };
}
