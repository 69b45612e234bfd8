import type pg from 'pg';
import type { Database } from './database';
import { loadPg } from './load-pg';
import { openDatabase } from './open-database';
import { PostgresTestSchemas } from './testing/postgres-test-schemas';

/** Lets the client's socket deliver what the server sent when it ended the session. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('PostgresDatabase when the server ends a session', () => {
  let schemas: PostgresTestSchemas;
  let admin: pg.Client;
  let db: Database;
  let poolErrors: Error[];

  beforeAll(async () => {
    schemas = await PostgresTestSchemas.connect();
    admin = new (loadPg().Client)({ connectionString: (await schemas.create()).url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
    await schemas.dropAll();
  });

  beforeEach(async () => {
    poolErrors = [];
    const { url } = await schemas.create();
    db = await openDatabase({ url, sqlitePath: '', poolMax: 2, onPoolError: (err) => poolErrors.push(err) });
    await db.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });

  afterEach(async () => {
    await db.close();
  });

  /** Ends the backend behind `pid` and waits until it has exited (PostgreSQL 14+). */
  async function terminate(pid: number): Promise<void> {
    const { rows } = await admin.query<{ done: boolean }>('SELECT pg_terminate_backend($1, 5000) AS done', [pid]);
    expect(rows[0].done).toBe(true);
  }

  it('fails the transaction whose connection died between statements, and serves the next call', async () => {
    const attempt = db.transaction(async (tx) => {
      await tx.execute('INSERT INTO notes (id, body) VALUES (1, ?)', ['lost with its session']);
      const row = await tx.queryOne<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminate(row?.pid ?? -1);
      await settle();
      await tx.execute('INSERT INTO notes (id, body) VALUES (2, ?)', ['never reached']);
    });
    await expect(attempt).rejects.toMatchObject({ code: 'DB_ERROR' });

    // The dead connection was discarded, not handed out again; nothing of the rolled-back transaction remains.
    expect(await db.query('SELECT id FROM notes')).toEqual([]);
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO notes (id, body) VALUES (3, ?)', ['after the loss']);
    });
    expect(await db.query('SELECT id, body FROM notes')).toEqual([{ id: 3, body: 'after the loss' }]);
  });

  it('replaces an idle pooled connection the server ended, reporting it to onPoolError', async () => {
    const pids = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await terminate(pids[0].pid);
    await settle();
    expect(poolErrors.map((err) => err.message)).toEqual([
      expect.stringMatching(/terminating connection due to administrator command/),
    ]);
    expect(await db.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('gives a streaming query whose connection died a clear error instead of a hang', async () => {
    await db.execute('INSERT INTO notes (id, body) SELECT g, g::text FROM generate_series(1, 10) AS g');
    const stream = db.stream<{ id: number; pid: number }>(
      'SELECT id, pg_backend_pid() AS pid FROM notes ORDER BY id',
      [],
      { batchSize: 2 },
    );
    const iterator = stream[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as { id: number; pid: number }[];
    expect(first.map((row) => row.id)).toEqual([1, 2]);
    await terminate(first[0].pid);
    await settle();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'DB_ERROR' });
    expect(await db.query('SELECT COUNT(*)::int AS n FROM notes')).toEqual([{ n: 10 }]);
  });
});
