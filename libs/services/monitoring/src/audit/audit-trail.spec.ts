import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, openDatabase, PostgresTestSchemas, ValidationError, type Database } from '@rrr/core';
import { computeAuditHash } from './audit-hash';
import { AuditTrail } from './audit-trail';

type Target = {
  name: 'sqlite' | 'postgres';
  /** Opens (and migrates) the database the tests share; `second` is another pool on it where that is safe. */
  open(): Promise<{ db: Database; second?: Database }>;
  tearDown(): Promise<void>;
};

function sqliteTarget(): Target {
  let dir = '';
  return {
    name: 'sqlite',
    open: async () => {
      dir = mkdtempSync(join(tmpdir(), 'rrr-audit-'));
      // One handle per file per process (see SqliteDatabase): no second handle here.
      return { db: await openDatabase({ sqlitePath: join(dir, 'audit.sqlite') }) };
    },
    tearDown: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresTarget(): Target {
  let schemas: PostgresTestSchemas | undefined;
  return {
    name: 'postgres',
    open: async () => {
      schemas = await PostgresTestSchemas.connect();
      const { url } = await schemas.create();
      const db = await openDatabase({ url, sqlitePath: '', poolMax: 4 });
      return { db, second: await openDatabase({ url, sqlitePath: '', poolMax: 4 }) };
    },
    tearDown: async () => schemas?.dropAll(),
  };
}

describe.each([sqliteTarget(), postgresTarget()])('AuditTrail on $name', (target) => {
  let db: Database | undefined;
  let second: Database | undefined;
  beforeAll(async () => {
    ({ db, second } = await target.open());
  });
  afterAll(async () => {
    await db?.close();
    await second?.close();
    await target.tearDown();
  });

  /** An audit trail over an emptied audit_log holding `records` records, one second apart. */
  async function trailWith(records: number) {
    if (db === undefined) throw new Error(`${target.name} test database is not set up (see the beforeAll error)`);
    await db.execute('DELETE FROM audit_log');
    const clock = new ManualClock(1_700_000_000_000);
    const trail = new AuditTrail(db, { clock });
    for (let i = 1; i <= records; i++) {
      await trail.append({
        actor: i % 2 === 0 ? 'risk-management' : 'api-key:1',
        action: 'order.submit',
        payload: { i, symbol: 'BTC-USD' },
      });
      clock.advance(1_000);
    }
    return { db, trail, clock };
  }

  it('appends a hash chain: seq from 1, each record linked to the previous hash, payload stored canonically', async () => {
    const { db, trail } = await trailWith(0);
    const first = await trail.append({ actor: 'cli', action: 'db.migrate', payload: { z: 1, a: [true, null] } });
    const second = await trail.append({ actor: 'cli', action: 'audit.verify', payload: {} });
    expect(first).toEqual({
      seq: 1,
      ts: 1_700_000_000_000,
      actor: 'cli',
      action: 'db.migrate',
      payload: { a: [true, null], z: 1 },
      prevHash: null,
      hash: computeAuditHash({
        seq: 1,
        ts: 1_700_000_000_000,
        actor: 'cli',
        action: 'db.migrate',
        payload: { z: 1, a: [true, null] },
        prevHash: null,
      }),
    });
    expect(second.prevHash).toBe(first.hash);
    const stored = await db.queryOne<{ payload: string }>('SELECT payload FROM audit_log WHERE seq = 1');
    expect(stored?.payload).toBe('{"a":[true,null],"z":1}');
    expect(await trail.get(2)).toEqual(second);
    expect(await trail.head()).toEqual({ seq: 2, hash: second.hash });
    expect(await trail.verify()).toEqual({ ok: true, records: 2, head: { seq: 2, hash: second.hash } });
  });

  it('refuses bad input before touching the database', async () => {
    const { trail } = await trailWith(0);
    await expect(trail.append({ actor: '', action: 'x', payload: {} })).rejects.toThrow(
      'audit record: actor: must be non-empty text',
    );
    await expect(trail.append({ actor: 'a', action: 'x', payload: { when: new Date() } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await trail.head()).toBeUndefined();
  });

  it('keeps the chain intact under concurrent appends', async () => {
    const { db, trail } = await trailWith(0);
    // On PostgreSQL the second writer uses its own pool, so the two really race for the table lock.
    const other = new AuditTrail(second ?? db);
    const appends = Array.from({ length: 40 }, (_, i) =>
      (i % 2 === 0 ? trail : other).append({ actor: `writer-${i % 2}`, action: 'tick', payload: { i } }),
    );
    const records = await Promise.all(appends);
    expect(new Set(records.map((r) => r.seq)).size).toBe(40);
    expect(Math.max(...records.map((r) => r.seq))).toBe(40);
    expect(await trail.verify()).toMatchObject({ ok: true, records: 40 });
  });

  it('detects an edited payload (hash mismatch) at the edited record', async () => {
    const { db, trail } = await trailWith(6);
    await db.execute('UPDATE audit_log SET payload = ? WHERE seq = ?', ['{"i":4,"symbol":"ETH-USD"}', 4]);
    expect(await trail.verify()).toMatchObject({
      ok: false,
      records: 3,
      broken: { seq: 4, reason: 'hash-mismatch' },
    });
  });

  it('detects an edited actor and a payload rewritten in another JSON spelling', async () => {
    const { db, trail } = await trailWith(4);
    await db.execute('UPDATE audit_log SET payload = ? WHERE seq = ?', ['{"symbol":"BTC-USD","i":2}', 2]);
    expect(await trail.verify()).toMatchObject({ ok: false, broken: { seq: 2, reason: 'malformed' } });
    const next = await trailWith(4);
    await next.db.execute('UPDATE audit_log SET actor = ? WHERE seq = ?', ['someone-else', 3]);
    expect(await next.trail.verify()).toMatchObject({
      ok: false,
      records: 2,
      broken: { seq: 3, reason: 'hash-mismatch' },
    });
  });

  it('detects a deleted record (seq gap) and a deletion hidden by renumbering (broken link)', async () => {
    const { db, trail } = await trailWith(6);
    await db.execute('DELETE FROM audit_log WHERE seq = ?', [3]);
    expect(await trail.verify()).toMatchObject({
      ok: false,
      records: 2,
      head: { seq: 2 },
      broken: { seq: 4, reason: 'seq-gap', message: 'record 3 is missing: seq jumps from 2 to 4' },
    });
    await db.execute('UPDATE audit_log SET seq = seq - 1 WHERE seq = ?', [4]);
    await db.execute('UPDATE audit_log SET seq = seq - 1 WHERE seq = ?', [5]);
    await db.execute('UPDATE audit_log SET seq = seq - 1 WHERE seq = ?', [6]);
    expect(await trail.verify()).toMatchObject({
      ok: false,
      records: 2,
      broken: { seq: 3, reason: 'prev-hash-mismatch' },
    });
  });

  it('detects reordered records', async () => {
    const { db, trail } = await trailWith(5);
    await db.execute('UPDATE audit_log SET seq = ? WHERE seq = ?', [-1, 2]);
    await db.execute('UPDATE audit_log SET seq = ? WHERE seq = ?', [2, 3]);
    await db.execute('UPDATE audit_log SET seq = ? WHERE seq = ?', [3, -1]);
    expect(await trail.verify()).toMatchObject({
      ok: false,
      records: 1,
      broken: { seq: 2, reason: 'prev-hash-mismatch' },
    });
  });

  it('detects a truncated tail and a rehashed chain only against an anchor', async () => {
    const { db, trail } = await trailWith(8);
    const anchor = await trail.head();
    expect(anchor?.seq).toBe(8);
    await db.execute('DELETE FROM audit_log WHERE seq > ?', [6]);
    expect(await trail.verify()).toMatchObject({ ok: true, records: 6 });
    expect(await trail.verify({ anchor })).toMatchObject({
      ok: false,
      records: 6,
      broken: {
        seq: 7,
        reason: 'truncated',
        message: 'the chain ends at record 6 but the anchor is record 8: records 7..8 were deleted',
      },
    });

    // An attacker who knows the algorithm edits record 3 and recomputes every hash from there.
    const rebuilt = await trailWith(8);
    const head = await rebuilt.trail.head();
    const rows = await rebuilt.db.query<{ seq: number; ts: number; actor: string; action: string; payload: string }>(
      'SELECT seq, ts, actor, action, payload FROM audit_log ORDER BY seq',
    );
    let prev: string | null = (await rebuilt.trail.get(2))?.hash ?? null;
    for (const row of rows.slice(2)) {
      const payload = row.seq === 3 ? { i: 3, symbol: 'DOGE-USD' } : (JSON.parse(row.payload) as { i: number });
      const hash = computeAuditHash({
        seq: Number(row.seq),
        ts: Number(row.ts),
        actor: row.actor,
        action: row.action,
        payload,
        prevHash: prev,
      });
      await rebuilt.db.execute('UPDATE audit_log SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?', [
        JSON.stringify(payload),
        prev,
        hash,
        row.seq,
      ]);
      prev = hash;
    }
    expect(await rebuilt.trail.verify()).toMatchObject({ ok: true, records: 8 });
    expect(await rebuilt.trail.verify({ anchor: head })).toMatchObject({
      ok: false,
      records: 7,
      broken: { seq: 8, reason: 'anchor-mismatch' },
    });
  });

  it('streams the chain in batches and reports progress', async () => {
    const { trail } = await trailWith(10);
    const progress: number[] = [];
    expect(await trail.verify({ batchSize: 3, onProgress: (n) => progress.push(n) })).toMatchObject({
      ok: true,
      records: 10,
    });
    expect(progress).toEqual([3, 6, 9, 10]);
  });

  it('lists records by page, actor and action, oldest or newest first', async () => {
    const { trail } = await trailWith(7);
    expect((await trail.list({ limit: 3 })).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect((await trail.list({ afterSeq: 3, limit: 3 })).map((r) => r.seq)).toEqual([4, 5, 6]);
    expect((await trail.list({ newestFirst: true, beforeSeq: 6, limit: 2 })).map((r) => r.seq)).toEqual([5, 4]);
    expect((await trail.list({ actor: 'risk-management' })).map((r) => r.seq)).toEqual([2, 4, 6]);
    expect(await trail.list({ action: 'nothing' })).toEqual([]);
    const [record] = await trail.list({ afterSeq: 6 });
    expect(record).toMatchObject({
      seq: 7,
      actor: 'api-key:1',
      payload: { i: 7, symbol: 'BTC-USD' },
      ts: 1_700_000_006_000,
    });
    await expect(trail.list({ limit: 0 })).rejects.toThrow('audit list: limit: must be an integer in 1..1000');
  });
});
