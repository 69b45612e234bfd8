import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { DatabaseError } from '../errors';
import { ManualClock } from '../time';
import type { Database, DbInsertRow, SqlDialect } from './database';
import { DB_TABLES, type DbColumnKind } from './db-tables';
import { BAR_ROW_COLUMNS } from './bar-row';
import { PLATFORM_MIGRATIONS, migrationChecksum, type Migration } from './migrations';
import { openDatabase, type OpenDatabaseOptions } from './open-database';
import type { SqliteDatabase } from './sqlite-database';
import { PostgresTestSchemas } from './testing/postgres-test-schemas';
import { isForeignKeyViolation, isUniqueViolation } from './to-database-error';

/** A database engine under test: fresh() hands out options for a new, empty database. */
interface ContractTarget {
  dialect: SqlDialect;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  fresh(): Promise<OpenDatabaseOptions>;
}

function sqliteTarget(): ContractTarget {
  let dir = '';
  let n = 0;
  return {
    dialect: 'sqlite',
    setUp: async () => {
      dir = mkdtempSync(join(tmpdir(), 'rrr-db-contract-'));
    },
    tearDown: async () => rmSync(dir, { recursive: true, force: true }),
    // A nested directory: openDatabase must create it.
    fresh: async () => ({ sqlitePath: join(dir, `case-${++n}`, 'rrr.sqlite'), busyTimeoutMs: 2000 }),
  };
}

function postgresTarget(): ContractTarget {
  let schemas: PostgresTestSchemas | undefined;
  return {
    dialect: 'postgres',
    setUp: async () => {
      schemas = await PostgresTestSchemas.connect();
    },
    tearDown: async () => schemas?.dropAll(),
    fresh: async () => {
      if (schemas === undefined) throw new Error('PostgreSQL test schemas are not set up (see the beforeAll error)');
      return { url: (await schemas.create()).url, sqlitePath: '', poolMax: 4 };
    },
  };
}

interface BarRow {
  symbol: string;
  interval: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number | null;
  trades: number | null;
}

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;

function bar(symbol: string, i: number): BarRow {
  const open = 100 + i / 100;
  return {
    symbol,
    interval: '1m',
    ts: T0 + i * MINUTE,
    open,
    high: open + 1.25,
    low: open - 0.75,
    close: open + 0.5,
    volume: 1000 + i,
    vwap: i % 7 === 0 ? null : open + 0.25,
    trades: i % 11 === 0 ? null : 10 + (i % 50),
  };
}

const bars = (symbol: string, count: number): BarRow[] => Array.from({ length: count }, (_, i) => bar(symbol, i));

async function rejection(promise: Promise<unknown>): Promise<DatabaseError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DatabaseError) return err;
    throw err;
  }
  throw new Error('expected the promise to reject with a DatabaseError');
}

const EXPECTED_TYPES: Record<SqlDialect, Record<DbColumnKind, string[]>> = {
  sqlite: { text: ['TEXT'], json: ['TEXT'], integer: ['INTEGER'], boolean: ['INTEGER'], real: ['REAL'] },
  postgres: {
    text: ['text'],
    json: ['text'],
    integer: ['bigint', 'integer'],
    boolean: ['integer'],
    real: ['double precision'],
  },
};

const CATALOG_SQL: Record<SqlDialect, string> = {
  sqlite: `SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type
           FROM sqlite_schema m JOIN pragma_table_info(m.name) p
           WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
  postgres: `SELECT table_name, column_name, data_type FROM information_schema.columns
             WHERE table_schema = current_schema()`,
};

/** Test migrations go after the platform's own, however many there are. */
const NEXT_VERSION = PLATFORM_MIGRATIONS[PLATFORM_MIGRATIONS.length - 1].version + 1;

const notesMigration = (bodyType: string): Migration => ({
  version: NEXT_VERSION,
  name: 'test-notes',
  statements: {
    sqlite: [`CREATE TABLE test_notes (id INTEGER PRIMARY KEY, body ${bodyType})`],
    postgres: [`CREATE TABLE test_notes (id BIGINT PRIMARY KEY, body ${bodyType})`],
  },
});

describe.each([sqliteTarget(), postgresTarget()])('Database contract ($dialect)', (target) => {
  let db: Database;
  const opened: Database[] = [];
  const open = async (options: OpenDatabaseOptions): Promise<Database> => {
    const handle = await openDatabase(options);
    opened.push(handle);
    return handle;
  };

  beforeAll(async () => {
    await target.setUp();
    db = await open(await target.fresh());
  });

  afterAll(async () => {
    await Promise.all(opened.map((handle) => handle.close()));
    await target.tearDown();
  });

  describe('migrations', () => {
    it('applies the platform schema once, records it, and applies nothing on reopen', async () => {
      const options = await target.fresh();
      const first = await open({ ...options, clock: new ManualClock(T0) });
      const expected = PLATFORM_MIGRATIONS.map((m) => ({
        version: m.version,
        name: m.name,
        checksum: migrationChecksum(m, target.dialect),
        applied_at: T0,
      }));
      expect(expected[0]).toMatchObject({ version: 1, name: 'platform-schema' });
      expect(
        await first.query('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version'),
      ).toEqual(expected);
      await first.close();

      const again = await open({ ...options, clock: new ManualClock(T0 + 1000) });
      expect(
        await again.query('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version'),
      ).toEqual(expected);
    });

    it('creates exactly the whitelisted tables and columns, with types matching their kinds', async () => {
      const catalog = await db.query<{ table_name: string; column_name: string; data_type: string }>(
        CATALOG_SQL[target.dialect],
      );
      const tables = new Map<string, Map<string, string>>();
      for (const { table_name, column_name, data_type } of catalog) {
        if (!tables.has(table_name)) tables.set(table_name, new Map());
        tables.get(table_name)?.set(column_name, data_type);
      }
      expect([...tables.keys()].sort()).toEqual([...Object.keys(DB_TABLES), 'schema_migrations'].sort());
      const wrongTypes: string[] = [];
      for (const [table, definition] of Object.entries(DB_TABLES)) {
        const columns = tables.get(table) ?? new Map<string, string>();
        expect({ table, columns: [...columns.keys()].sort() }).toEqual({
          table,
          columns: Object.keys(definition.columns).sort(),
        });
        for (const [column, kind] of Object.entries(definition.columns) as [string, DbColumnKind][]) {
          const type = columns.get(column) ?? '(missing)';
          if (!EXPECTED_TYPES[target.dialect][kind].includes(type))
            wrongTypes.push(`${table}.${column}: ${kind} is ${type}`);
        }
      }
      expect(wrongTypes).toEqual([]);
    });

    it('indexes bars by its series key only: one B-tree per bar written', async () => {
      const sql: Record<SqlDialect, string> = {
        sqlite: `SELECT name FROM pragma_index_list('bars')`,
        postgres: `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'bars'`,
      };
      const names = (await db.query<{ name: string }>(sql[target.dialect])).map((r) => r.name);
      // SQLite lists a WITHOUT ROWID table's key as an automatic index; PostgreSQL names it after the constraint.
      expect(names).toEqual(target.dialect === 'sqlite' ? ['sqlite_autoindex_bars_1'] : ['bars_pkey']);
    });

    it('keys the bar series summary by (symbol, interval), with no other index for bar writes to keep', async () => {
      const sql: Record<SqlDialect, string> = {
        sqlite: `SELECT i.name, c.name AS column_name FROM pragma_index_list('bar_series') i
                 JOIN pragma_index_info(i.name) c ORDER BY c.seqno`,
        postgres: `SELECT i.relname AS name, a.attname AS column_name
                   FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                   JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, seqno) ON true
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                   WHERE t.relname = 'bar_series' AND t.relnamespace = current_schema()::regnamespace
                   ORDER BY k.seqno`,
      };
      const name = target.dialect === 'sqlite' ? 'sqlite_autoindex_bar_series_1' : 'bar_series_pkey';
      expect(await db.query(sql[target.dialect])).toEqual([
        { name, column_name: 'symbol' },
        { name, column_name: 'interval' },
      ]);
    });

    it('refuses to start when an applied migration was edited, naming it', async () => {
      const options = await target.fresh();
      await (await open({ ...options, migrations: [...PLATFORM_MIGRATIONS, notesMigration('TEXT')] })).close();

      const err = await rejection(
        openDatabase({ ...options, migrations: [...PLATFORM_MIGRATIONS, notesMigration('TEXT NOT NULL')] }),
      );
      expect(err.code).toBe('MIGRATION_FAILED');
      expect(err.message).toContain(`migration ${NEXT_VERSION} "test-notes" was edited after it was applied`);
    });

    it('tolerates migrations newer than the build but not one missing between known versions', async () => {
      const options = await target.fresh();
      const later: Migration = {
        version: NEXT_VERSION + 1,
        name: 'test-later',
        statements: {
          sqlite: ['CREATE TABLE test_later (id INTEGER)'],
          postgres: ['CREATE TABLE test_later (id INTEGER)'],
        },
      };
      await (await open({ ...options, migrations: [...PLATFORM_MIGRATIONS, notesMigration('TEXT'), later] })).close();

      // An older build (or `rrr db status`, which opens with no migrations) still starts.
      await (await open({ ...options, migrations: PLATFORM_MIGRATIONS })).close();
      const readOnly = await open({ ...options, migrations: [] });
      expect(await readOnly.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(
        [...PLATFORM_MIGRATIONS, notesMigration('TEXT'), later].map((m) => ({ version: m.version })),
      );

      const gap = await rejection(openDatabase({ ...options, migrations: [...PLATFORM_MIGRATIONS, later] }));
      expect(gap.code).toBe('MIGRATION_FAILED');
      expect(gap.message).toContain(
        `database has migration ${NEXT_VERSION} "test-notes" that this build does not have, although it has later ones`,
      );
    });

    it('rolls a failing migration back entirely and reports it as MIGRATION_FAILED', async () => {
      const options = await target.fresh();
      const broken: Migration = {
        version: NEXT_VERSION,
        name: 'half-broken',
        statements: {
          sqlite: ['CREATE TABLE survivor (id INTEGER)', 'CREATE TABLE broken ('],
          postgres: ['CREATE TABLE survivor (id INTEGER)', 'CREATE TABLE broken ('],
        },
      };
      const err = await rejection(openDatabase({ ...options, migrations: [...PLATFORM_MIGRATIONS, broken] }));
      expect(err.code).toBe('MIGRATION_FAILED');
      expect(err.message).toContain(`migration ${NEXT_VERSION} "half-broken" failed`);

      // Not even migration 1 stuck: the whole run was one transaction.
      const fresh = await open({ ...options, migrations: [] });
      expect(await fresh.queryOne('SELECT COUNT(*) AS n FROM schema_migrations')).toEqual({ n: 0 });
      await expect(fresh.query('SELECT * FROM survivor')).rejects.toThrow(DatabaseError);
    });
  });

  describe('statements', () => {
    const tricky = `it's a "quoted" value? -- not a comment; /* nor this */ $1 ? '); DROP TABLE symbols; --`;

    it('binds parameters, never interpolates them (a value holding ? and quotes round-trips)', async () => {
      const insert = await db.execute(
        'INSERT INTO symbols (symbol, asset_class, active, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        ['QMARK-USD', 'crypto', true, tricky, T0, T0],
      );
      expect(insert).toEqual({ rowCount: 1 });

      expect(
        await db.queryOne('SELECT symbol, active, metadata, created_at FROM symbols WHERE metadata = ?', [tricky]),
      ).toEqual({ symbol: 'QMARK-USD', active: 1, metadata: tricky, created_at: T0 });
      // A literal '?' in the SQL is text, not a placeholder.
      expect(
        await db.query(`SELECT symbol, '?' AS literal FROM symbols WHERE symbol = ? AND metadata = ?`, [
          'QMARK-USD',
          tricky,
        ]),
      ).toEqual([{ symbol: 'QMARK-USD', literal: '?' }]);

      expect(
        await db.execute('UPDATE symbols SET asset_class = ?, updated_at = ? WHERE symbol = ?', [
          'equity',
          T0 + 1,
          'QMARK-USD',
        ]),
      ).toEqual({ rowCount: 1 });
      expect(await db.execute('UPDATE symbols SET updated_at = ? WHERE symbol = ?', [T0, 'NOPE'])).toEqual({
        rowCount: 0,
      });
      expect(await db.queryOne('SELECT asset_class, updated_at FROM symbols WHERE symbol = ?', ['QMARK-USD'])).toEqual({
        asset_class: 'equity',
        updated_at: T0 + 1,
      });

      expect(await db.execute('DELETE FROM symbols WHERE symbol = ?', ['QMARK-USD'])).toEqual({ rowCount: 1 });
      expect(await db.queryOne('SELECT symbol FROM symbols WHERE symbol = ?', ['QMARK-USD'])).toBeUndefined();
      expect(await db.queryOne('SELECT COUNT(*) AS n FROM symbols WHERE symbol = ?', ['QMARK-USD'])).toEqual({ n: 0 });
    });

    it('binds bytes as BLOB/bytea and reads them back as a Buffer', async () => {
      const sql = target.dialect === 'postgres' ? 'SELECT CAST(? AS BYTEA) AS bytes' : 'SELECT ? AS bytes';
      expect(await db.queryOne(sql, [Uint8Array.of(0, 1, 254, 255)])).toEqual({ bytes: Buffer.from([0, 1, 254, 255]) });
    });

    it('returns generated ids through RETURNING, as numbers', async () => {
      const rows = await db.query<{ id: number }>(
        'INSERT INTO system_events (ts, service, level, type, message) VALUES (?, ?, ?, ?, ?) RETURNING id',
        [T0, 'db-test', 'info', 'returning', 'hello'],
      );
      expect(rows).toEqual([{ id: expect.any(Number) }]);
      expect(await db.queryOne('SELECT message FROM system_events WHERE id = ?', [rows[0].id])).toEqual({
        message: 'hello',
      });
    });

    it('returns BIGINT, COUNT and SUM as JS numbers', async () => {
      await db.insertMany('bars', bars('BIGINT-USD', 3));
      const row = await db.queryOne<Record<string, unknown>>(
        'SELECT MAX(ts) AS last_ts, COUNT(*) AS n, SUM(trades) AS total_trades, SUM(volume) AS total_volume FROM bars WHERE symbol = ?',
        ['BIGINT-USD'],
      );
      expect(row).toEqual({ last_ts: T0 + 2 * MINUTE, n: 3, total_trades: 11 + 12, total_volume: 3003 });
      expect(typeof row?.['last_ts']).toBe('number');
    });

    it('wraps driver errors as DatabaseError naming the statement, never its parameter values', async () => {
      const order = {
        id: 'ord-dup-1',
        client_order_id: 'secret-client-token-8842',
        symbol: 'BTC-USD',
        side: 'buy',
        type: 'limit',
        time_in_force: 'gtc',
        quantity: 1,
        price: 100,
        status: 'new',
        created_at: T0,
        updated_at: T0,
      };
      const insert = `INSERT INTO orders (id, client_order_id, symbol, side, type, time_in_force, quantity, price,
        status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
      await db.execute(insert, Object.values(order));
      const duplicate = await rejection(db.execute(insert, Object.values({ ...order, id: 'ord-dup-2' })));
      expect(duplicate.code).toBe('DB_ERROR');
      expect(duplicate.message).toMatch(new RegExp(`^${target.dialect}: INSERT INTO orders failed: `));
      expect(duplicate.message).not.toContain('secret-client-token-8842');
      expect(JSON.stringify(duplicate.cause)).not.toContain('secret-client-token-8842');
      expect(isUniqueViolation(duplicate)).toBe(true);

      const badValue = await rejection(
        db.execute('INSERT INTO backfill_checkpoints (job_id, rows_written, updated_at) VALUES (?, ?, ?)', [
          'job-x',
          'hunter2-password',
          T0,
        ]),
      );
      expect(badValue.message).toContain('INSERT INTO backfill_checkpoints');
      expect(badValue.message).not.toContain('hunter2');

      expect((await rejection(db.query('SELEC 1'))).message).toContain('SELEC 1');
      expect((await rejection(db.query('SELECT ? AS a', []))).message).toContain('SELECT ? AS');
    });
  });

  describe('transactions', () => {
    const insertEvent = 'INSERT INTO system_events (ts, service, level, type, message) VALUES (?, ?, ?, ?, ?)';
    const event = (message: string): [number, string, string, string, string] => [T0, 'tx-test', 'info', 't', message];
    const messages = async (): Promise<string[]> =>
      (
        await db.query<{ message: string }>('SELECT message FROM system_events WHERE service = ? ORDER BY message', [
          'tx-test',
        ])
      ).map((r) => r.message);

    beforeEach(async () => {
      await db.execute('DELETE FROM system_events WHERE service = ?', ['tx-test']);
    });

    it('commits when the callback resolves and returns its value', async () => {
      const result = await db.transaction(async (tx) => {
        await tx.execute(insertEvent, event('c1'));
        await tx.execute(insertEvent, event('c2'));
        return (
          await tx.queryOne<{ n: number }>('SELECT COUNT(*) AS n FROM system_events WHERE service = ?', ['tx-test'])
        )?.n;
      });
      expect(result).toBe(2);
      expect(await messages()).toEqual(['c1', 'c2']);
    });

    it('rolls back when the callback throws and rethrows the same error', async () => {
      const boom = new Error('boom');
      await expect(
        db.transaction(async (tx) => {
          await tx.execute(insertEvent, event('r1'));
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await messages()).toEqual([]);
    });

    it('nests with savepoints: an inner failure undoes only the inner work', async () => {
      await db.transaction(async (tx) => {
        await tx.execute(insertEvent, event('outer-before'));
        await expect(
          tx.transaction(async (inner) => {
            await inner.execute(insertEvent, event('inner-failed'));
            await inner.transaction(async (innermost) => innermost.execute(insertEvent, event('innermost')));
            throw new Error('inner boom');
          }),
        ).rejects.toThrow('inner boom');
        await tx.transaction(async (inner) => inner.execute(insertEvent, event('inner-ok')));
        await tx.execute(insertEvent, event('outer-after'));
      });
      expect(await messages()).toEqual(['inner-ok', 'outer-after', 'outer-before']);
    });

    it('refuses a transaction handle used after its transaction ended', async () => {
      let leaked: Parameters<Parameters<Database['transaction']>[0]>[0] | undefined;
      await db.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked?.execute(insertEvent, event('late'))).rejects.toThrow('after its transaction ended');
      expect(await messages()).toEqual([]);
    });

    it('keeps concurrent transactions and plain statements apart: a rollback loses only its own rows', async () => {
      let signalOpen!: () => void;
      const aIsOpen = new Promise<void>((resolve) => (signalOpen = resolve));
      const a = db.transaction(async (tx) => {
        await tx.execute(insertEvent, event('a1'));
        signalOpen();
        await sleep(30);
        await tx.execute(insertEvent, event('a2'));
        throw new Error('abort a');
      });
      await aIsOpen;
      // Issued while `a` is open: must neither join it nor be rolled back with it.
      const plain = db.execute(insertEvent, event('plain'));
      const b = db.transaction(async (tx) => {
        await tx.execute(insertEvent, event('b1'));
        await sleep(5);
        await tx.execute(insertEvent, event('b2'));
      });
      await expect(a).rejects.toThrow('abort a');
      await Promise.all([plain, b]);
      expect(await messages()).toEqual(['b1', 'b2', 'plain']);
    });
  });

  describe('insertMany', () => {
    it('writes 20,000 bars × 10 columns in statements chunked under the parameter limit', async () => {
      const rows = bars('CHUNK-USD', 20_000);
      expect(await db.insertMany('bars', rows)).toBe(20_000);
      const stored = await db.query<BarRow>('SELECT * FROM bars WHERE symbol = ? ORDER BY ts', ['CHUNK-USD']);
      expect(stored).toHaveLength(20_000);
      // Both sides of every chunk boundary (3,276 rows per SQLite statement, 6,553 per PostgreSQL one).
      for (const i of [0, 3275, 3276, 6552, 6553, 13106, 19_999]) expect(stored[i]).toEqual(rows[i]);
      expect(stored).toEqual(rows);
    });

    it('is idempotent with ignore: re-inserting leaves the exact row count and the stored values', async () => {
      const rows = bars('IDEM-USD', 5_000);
      expect(
        await db.insertMany('bars', rows, { onConflict: { target: ['symbol', 'interval', 'ts'], action: 'ignore' } }),
      ).toBe(5_000);
      const changed = rows.map((r) => ({ ...r, close: r.close + 1 }));
      expect(
        await db.insertMany('bars', changed, {
          onConflict: { target: ['symbol', 'interval', 'ts'], action: 'ignore' },
        }),
      ).toBe(0);
      expect(
        await db.queryOne('SELECT COUNT(*) AS n, SUM(close) AS total FROM bars WHERE symbol = ?', ['IDEM-USD']),
      ).toEqual({
        n: 5_000,
        total: rows.reduce((sum, r) => sum + r.close, 0),
      });
    });

    it('upserts with update: overwrites the listed columns, inserts new keys, last duplicate wins', async () => {
      const rows = bars('UPSERT-USD', 10);
      await db.insertMany('bars', rows);
      const incoming = [
        ...rows.slice(0, 4).map((r) => ({ ...r, close: 1, volume: 1, high: 999 })),
        bar('UPSERT-USD', 10),
        { ...rows[0], close: 2, volume: 2, high: 999 },
      ];
      const written = await db.insertMany('bars', incoming, {
        onConflict: { target: ['symbol', 'interval', 'ts'], action: { update: ['close', 'volume'] } },
      });
      expect(written).toBe(5);
      const stored = await db.query<BarRow>('SELECT ts, close, volume, high FROM bars WHERE symbol = ? ORDER BY ts', [
        'UPSERT-USD',
      ]);
      expect(stored).toHaveLength(11);
      expect(stored[0]).toEqual({ ts: rows[0].ts, close: 2, volume: 2, high: rows[0].high });
      expect(stored[1]).toEqual({ ts: rows[1].ts, close: 1, volume: 1, high: rows[1].high });
      expect(stored[4]).toEqual({ ts: rows[4].ts, close: rows[4].close, volume: rows[4].volume, high: rows[4].high });
      expect(stored[10].ts).toBe(bar('UPSERT-USD', 10).ts);
    });

    it('is all-or-nothing: a bad row in a late chunk leaves none of the batch behind', async () => {
      const rows: DbInsertRow<'bars'>[] = bars('ATOMIC-USD', 8_000);
      rows[7_999] = { ...rows[7_999], open: null };
      await expect(db.insertMany('bars', rows)).rejects.toThrow(DatabaseError);
      expect(await db.queryOne('SELECT COUNT(*) AS n FROM bars WHERE symbol = ?', ['ATOMIC-USD'])).toEqual({ n: 0 });
    });

    it('serialises JSON columns and stores booleans as 0/1', async () => {
      await db.insertMany('symbols', [
        {
          symbol: 'JSON-USD',
          asset_class: 'crypto',
          active: false,
          metadata: { tags: ['a', 'b'] },
          created_at: T0,
          updated_at: T0,
        },
      ]);
      expect(await db.queryOne('SELECT active, metadata FROM symbols WHERE symbol = ?', ['JSON-USD'])).toEqual({
        active: 0,
        metadata: '{"tags":["a","b"]}',
      });
    });

    it('rejects an unknown table or column by name, before any SQL is built', async () => {
      const unknownTable = await rejection(db.insertMany('trades' as never, [{ a: 1 }] as never));
      expect(unknownTable.message).toContain('unknown table "trades"');

      const evil = 'symbol"); DROP TABLE bars; --';
      const unknownColumn = await rejection(db.insertMany('bars', [{ ...bar('EVIL-USD', 0), [evil]: 1 } as never]));
      expect(unknownColumn.message).toContain(`unknown column "${evil}" for table "bars"`);

      const unknownTarget = await rejection(
        db.insertMany('bars', [bar('EVIL-USD', 0)], { onConflict: { target: ['nope' as never], action: 'ignore' } }),
      );
      expect(unknownTarget.message).toContain('unknown conflict target column "nope"');

      const unknownCopyColumn = await rejection(db.copyFrom('bars', ['symbol', 'bogus' as never], [['X', 1]]));
      expect(unknownCopyColumn.message).toContain('unknown column "bogus"');

      expect(await db.queryOne('SELECT COUNT(*) AS n FROM bars WHERE symbol = ?', ['EVIL-USD'])).toEqual({ n: 0 });
    });
  });

  describe('stream', () => {
    beforeAll(async () => {
      await db.insertMany('bars', bars('STREAM-USD', 1_050));
    });

    it('yields every row in order, in batches of batchSize', async () => {
      const sizes: number[] = [];
      const seen: number[] = [];
      // The trailing semicolon is tolerated (PostgreSQL wraps the statement in DECLARE … FOR).
      for await (const batch of db.stream<{ ts: number }>(
        'SELECT ts FROM bars WHERE symbol = ? ORDER BY ts;',
        ['STREAM-USD'],
        { batchSize: 100 },
      )) {
        sizes.push(batch.length);
        seen.push(...batch.map((r) => r.ts));
      }
      expect(sizes).toEqual([...Array<number>(10).fill(100), 50]);
      expect(seen).toEqual(bars('STREAM-USD', 1_050).map((b) => b.ts));
    });

    it('lets the consumer write between batches and releases the cursor when it stops early', async () => {
      let batches = 0;
      for await (const batch of db.stream<{ ts: number }>(
        'SELECT ts FROM bars WHERE symbol = ? ORDER BY ts',
        ['STREAM-USD'],
        {
          batchSize: 400,
        },
      )) {
        batches++;
        await db.execute(
          'INSERT INTO backfill_checkpoints (job_id, cursor, rows_written, updated_at) VALUES (?, ?, ?, ?)',
          [`stream-${batches}`, String(batch[batch.length - 1].ts), batch.length, T0],
        );
        if (batches === 2) break;
      }
      expect(
        await db.query('SELECT job_id, cursor FROM backfill_checkpoints WHERE job_id LIKE ? ORDER BY job_id', [
          'stream-%',
        ]),
      ).toEqual([
        { job_id: 'stream-1', cursor: String(T0 + 399 * MINUTE) },
        { job_id: 'stream-2', cursor: String(T0 + 799 * MINUTE) },
      ]);
    });

    it('reports a failing stream query as a DatabaseError', async () => {
      const read = async (): Promise<void> => {
        for await (const batch of db.stream('SELECT * FROM no_such_table', [], { batchSize: 10 }))
          expect(batch).toBeUndefined();
      };
      await expect(read()).rejects.toThrow(DatabaseError);
    });
  });

  describe('copyFrom', () => {
    const columns = ['ts', 'service', 'level', 'type', 'message', 'details'] as const;

    it('loads awkward text exactly: tabs, newlines, backslashes, \\N, quotes, unicode, empty vs NULL', async () => {
      const messages = [
        'tab\there',
        'line\nbreak',
        'crlf\r\nend',
        'back\\slash\\',
        '\\N',
        '',
        'quote \' and " and ?',
        'unicode ✓ 📈 ß',
      ];
      const rows = messages.map((message, i) => [
        T0 + i,
        'copy-test',
        'info',
        'copy',
        message,
        i === 0 ? { a: ['x\ty'] } : null,
      ]);
      expect(await db.copyFrom('system_events', columns, rows)).toBe(messages.length);
      expect(
        await db.query('SELECT message, details FROM system_events WHERE service = ? ORDER BY ts', ['copy-test']),
      ).toEqual(messages.map((message, i) => ({ message, details: i === 0 ? '{"a":["x\\ty"]}' : null })));
    });

    it('streams an async source and loads all of it or nothing', async () => {
      async function* source(count: number, badAt?: number): AsyncGenerator<unknown[]> {
        for (let i = 0; i < count; i++) {
          yield i === badAt ? [T0 + i, 'copy-async'] : [T0 + i, 'copy-async', 'info', 'copy', `row ${i}`, null];
          if (i % 1000 === 0) await sleep(0);
        }
      }
      const count = 'SELECT COUNT(*) AS n FROM system_events WHERE service = ?';
      const bad = await rejection(db.copyFrom('system_events', columns, source(3_000, 2_500) as AsyncIterable<never>));
      expect(bad.message).toContain('row 2500 has 2 values for 6 columns');
      expect(await db.queryOne(count, ['copy-async'])).toEqual({ n: 0 });

      expect(await db.copyFrom('system_events', columns, source(25_000) as AsyncIterable<never>)).toBe(25_000);
      expect(await db.queryOne(count, ['copy-async'])).toEqual({ n: 25_000 });
    });

    it('takes values every row shares once (fixed), storing exactly what full rows store', async () => {
      const rest = ['ts', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trades'] as const;
      // More rows than one SQLite statement binds (5,460 with two fixed values), and an odd remainder.
      const expected = bars('FIXED-USD', 12_345);
      const rows = expected.map((b) => rest.map((column) => b[column]));
      const fixed = { symbol: 'FIXED-USD', interval: '1m' };
      expect(await db.copyFrom('bars', rest, rows, { fixed })).toBe(12_345);
      expect(await db.query(`SELECT ${BAR_ROW_COLUMNS} FROM bars WHERE symbol = ? ORDER BY ts`, ['FIXED-USD'])).toEqual(
        expected,
      );

      // A streamed source, inside a transaction.
      async function* streamed(): AsyncGenerator<(string | number | null)[]> {
        for (const row of bars('FIXED-STREAM', 3_000)) yield rest.map((column) => row[column]);
      }
      await db.transaction((tx) =>
        tx.copyFrom('bars', rest, streamed(), { fixed: { ...fixed, symbol: 'FIXED-STREAM' } }),
      );
      expect(await db.queryOne('SELECT COUNT(*) AS n FROM bars WHERE symbol = ?', ['FIXED-STREAM'])).toEqual({
        n: 3_000,
      });

      const twice = await rejection(db.copyFrom('bars', ['symbol', ...rest], [], { fixed }));
      expect(twice.message).toBe('copyFrom into "bars": column "symbol" is both fixed and in the rows\' columns');
      const unknown = await rejection(db.copyFrom('bars', rest, [], { fixed: { bogus: 1 } as never }));
      expect(unknown.message).toContain('unknown fixed column "bogus" for table "bars"');
      const short = await rejection(db.copyFrom('bars', rest, [rest.map(() => 1).slice(1)], { fixed }));
      expect(short.message).toContain('row 0 has 7 values for 8 columns');
    });
  });

  it('rejects work after close(), which is idempotent', async () => {
    const handle = await open(await target.fresh());
    await handle.close();
    await handle.close();
    await expect(handle.query('SELECT 1 AS one')).rejects.toThrow('closed');
  });
});

describe('SQLite specifics', () => {
  const target = sqliteTarget();
  let db: SqliteDatabase;

  beforeAll(async () => {
    await target.setUp();
    db = (await openDatabase(await target.fresh())) as SqliteDatabase;
  });

  afterAll(async () => {
    await db.close();
    await target.tearDown();
  });

  it('opens in WAL mode with foreign keys on, synchronous=NORMAL and the busy timeout', () => {
    expect(db.handle.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.handle.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.handle.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.handle.pragma('busy_timeout', { simple: true })).toBe(2000);
  });

  it('serialises concurrent transactions: each runs to completion before the next begins', async () => {
    const steps: string[] = [];
    const work = (name: string, pauseMs: number) =>
      db.transaction(async (tx) => {
        steps.push(`${name}:begin`);
        await tx.execute('INSERT INTO backfill_checkpoints (job_id, rows_written, updated_at) VALUES (?, ?, ?)', [
          `serial-${name}`,
          0,
          T0,
        ]);
        await sleep(pauseMs);
        steps.push(`${name}:end`);
      });
    await Promise.all([work('a', 20), work('b', 1), work('c', 5)]);
    expect(steps).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end']);
  });

  it('fails fast, instead of deadlocking, when a transaction callback uses the database instead of tx', async () => {
    await expect(db.transaction(async () => db.query('SELECT 1 AS one'))).rejects.toThrow(
      'use the transaction handle passed to the callback',
    );
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('enforces foreign keys', async () => {
    const err = await rejection(
      db.insertMany('fills', [
        { id: 'f-1', order_id: 'missing', symbol: 'X', side: 'buy', quantity: 1, price: 1, ts: T0 },
      ]),
    );
    expect(isForeignKeyViolation(err)).toBe(true);
  });

  it('streams an in-memory database over its single connection', async () => {
    const memory = await openDatabase({ sqlitePath: ':memory:' });
    try {
      await memory.insertMany('bars', bars('MEM-USD', 25));
      const sizes: number[] = [];
      for await (const batch of memory.stream('SELECT ts FROM bars ORDER BY ts', [], { batchSize: 10 })) {
        sizes.push(batch.length);
      }
      expect(sizes).toEqual([10, 10, 5]);
    } finally {
      await memory.close();
    }
  });
});

describe('PostgreSQL specifics', () => {
  let schemas: PostgresTestSchemas;

  beforeAll(async () => {
    schemas = await PostgresTestSchemas.connect();
  });

  afterAll(async () => {
    await schemas?.dropAll();
  });

  it('lets concurrent openers of one schema apply each migration exactly once (advisory lock)', async () => {
    const { url } = await schemas.create();
    const handles = await Promise.all(
      Array.from({ length: 4 }, () => openDatabase({ url, sqlitePath: '', poolMax: 2 })),
    );
    try {
      expect(await handles[0].query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(
        PLATFORM_MIGRATIONS.map((m) => ({ version: m.version })),
      );
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });

  it('keeps its pooled connection after SQL errors instead of reconnecting', async () => {
    const db = await openDatabase({ url: (await schemas.create()).url, sqlitePath: '', poolMax: 1 });
    try {
      const pid = async () => (await db.queryOne<{ pid: number }>('SELECT pg_backend_pid() AS pid'))?.pid;
      const first = await pid();
      await db.insertMany('symbols', [{ symbol: 'DUP-USD', asset_class: 'crypto', created_at: T0, updated_at: T0 }]);
      const failures = [
        db.execute('SELECT no_such_column FROM symbols'),
        db.query('SELECT CAST(? AS BIGINT) AS n', ['not a number']),
        db.insertMany('symbols', [{ symbol: 'DUP-USD', asset_class: 'crypto', created_at: T0, updated_at: T0 }]),
        // More rows than one statement binds: the chunks run in a transaction, rolled back on the duplicate.
        db.insertMany(
          'symbols',
          Array.from({ length: 20_000 }, (_, i) => ({
            symbol: i === 19_999 ? 'DUP-USD' : `S${i}-USD`,
            asset_class: 'crypto',
            created_at: T0,
            updated_at: T0,
          })),
        ),
      ];
      for (const failure of failures) await expect(failure).rejects.toMatchObject({ code: 'DB_ERROR' });
      expect(await pid()).toBe(first);
      expect(await db.queryOne('SELECT COUNT(*) AS n FROM symbols')).toEqual({ n: 1 });
    } finally {
      await db.close();
    }
  });

  it('parses int8 on its own pool only: a number when safe, an exact bigint beyond 2^53', async () => {
    const db = await openDatabase({ url: (await schemas.create()).url, sqlitePath: '', poolMax: 2 });
    try {
      expect(
        await db.queryOne('SELECT CAST(? AS BIGINT) AS safe, CAST(? AS BIGINT) AS huge, CAST(? AS NUMERIC) AS num', [
          T0,
          '9007199254740993',
          '12.5',
        ]),
      ).toEqual({ safe: T0, huge: 9007199254740993n, num: 12.5 });
      expect(pg.types.getTypeParser(20, 'text')('5')).toBe('5');
    } finally {
      await db.close();
    }
  });

  it('runs every pooled connection in the schema named by the URL', async () => {
    const { schema, url } = await schemas.create();
    const db = await openDatabase({ url, sqlitePath: '', poolMax: 3 });
    try {
      const seen = await Promise.all(
        Array.from({ length: 3 }, () => db.transaction((tx) => tx.queryOne('SELECT current_schema() AS s'))),
      );
      expect(seen).toEqual([{ s: schema }, { s: schema }, { s: schema }]);
    } finally {
      await db.close();
    }
  });

  it('closes while a stream is suspended mid-iteration, releasing its connection', async () => {
    const db = await openDatabase({ url: (await schemas.create()).url, sqlitePath: '', poolMax: 1 });
    await db.insertMany('bars', bars('CLOSE-USD', 30));
    const iterator = db.stream('SELECT ts FROM bars ORDER BY ts', [], { batchSize: 10 })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toHaveLength(10);
    await db.close();
    await expect(iterator.next()).rejects.toThrow('closed while streaming');
  });
});
