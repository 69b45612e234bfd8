import { isRrrError, ManualClock, openDatabase, PostgresTestSchemas, type Database } from '@rrr/core';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKeySecret } from './api-key-hash';
import { scopeAllows } from './api-key-scope';
import { ApiKeyStore } from './api-key-store';
import { parseApiKeyToken } from './api-key-token';

const T0 = Date.UTC(2026, 0, 5, 9, 30);

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; details?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isRrrError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a rejection');
}

let schemas: PostgresTestSchemas | undefined;

afterAll(async () => {
  await schemas?.dropAll();
});

/** A fresh migrated database of each dialect: a temp-file SQLite and a throwaway schema on the machine's PostgreSQL. */
const TARGETS: Array<{ dialect: string; open(dir: string): Promise<Database> }> = [
  { dialect: 'SQLite', open: (dir) => openDatabase({ sqlitePath: join(dir, 'rrr.db') }) },
  {
    dialect: 'PostgreSQL',
    open: async () => {
      schemas ??= await PostgresTestSchemas.connect();
      return openDatabase({ url: (await schemas.create()).url, sqlitePath: ':memory:' });
    },
  },
];

describe.each(TARGETS)('ApiKeyStore on $dialect', (target) => {
  let dir: string;
  let db: Database;
  let clock: ManualClock;
  let store: ApiKeyStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-keys-'));
    db = await target.open(dir);
    clock = new ManualClock(T0);
    store = new ApiKeyStore(db, { clock, lastUsedResolutionMs: 60_000 });
  });

  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an rrr_<id>_<secret> key and stores only a salted hash of the secret', async () => {
    const { key, token } = await store.create({ name: 'ci', scope: 'trade' });
    const parts = parseApiKeyToken(token);
    expect(parts?.id).toBe(key.id);
    expect(token).toMatch(/^rrr_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key).toEqual({ id: key.id, name: 'ci', scope: 'trade', createdAt: T0 });

    const row = await db.queryOne<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = ?', [key.id]);
    expect(row).toEqual({
      id: key.id,
      name: 'ci',
      scope: 'trade',
      hash_algorithm: 'hmac-sha256',
      salt: expect.stringMatching(/^[0-9a-f]{32}$/),
      secret_hash: hashApiKeySecret(parts?.secret ?? '', String(row?.salt)),
      created_at: T0,
      last_used_at: null,
      revoked_at: null,
    });
  });

  it('gives two keys different salts, so equal secrets would not hash alike', async () => {
    await store.create({ name: 'a', scope: 'read' });
    await store.create({ name: 'b', scope: 'read' });
    const salts = await db.query<{ salt: string }>('SELECT salt FROM api_keys');
    expect(new Set(salts.map((s) => s.salt)).size).toBe(2);
  });

  it('authenticates the exact token and refuses a wrong secret, an unknown id and a malformed token alike', async () => {
    const { key, token } = await store.create({ name: 'ci', scope: 'trade' });
    expect(await store.authenticate(token)).toEqual({ keyId: key.id, name: 'ci', scope: 'trade' });

    const lastChar = token.at(-1) === 'A' ? 'B' : 'A';
    expect(await rejection(store.authenticate(token.slice(0, -1) + lastChar))).toEqual({
      code: 'UNAUTHORIZED',
      message: 'invalid API key',
    });
    const unknownId = token.replace(key.id, key.id === '000000000000' ? '111111111111' : '000000000000');
    expect(await rejection(store.authenticate(unknownId))).toEqual({
      code: 'UNAUTHORIZED',
      message: 'invalid API key',
    });
    expect(await rejection(store.authenticate('hunter2'))).toEqual({
      code: 'UNAUTHORIZED',
      message: 'malformed API key: expected rrr_<12 hex id>_<43-character secret>',
    });
  });

  it('records last use at most once per resolution window', async () => {
    const { key, token } = await store.create({ name: 'ci', scope: 'read' });
    clock.set(T0 + 1_000);
    await store.authenticate(token);
    expect((await store.get(key.id))?.lastUsedAt).toBe(T0 + 1_000);
    clock.set(T0 + 30_000);
    await store.authenticate(token);
    expect((await store.get(key.id))?.lastUsedAt).toBe(T0 + 1_000);
    clock.set(T0 + 61_000);
    await store.authenticate(token);
    expect((await store.get(key.id))?.lastUsedAt).toBe(T0 + 61_000);
  });

  it('revokes for good: the key stops authenticating, stays listed, and a second revoke says so', async () => {
    const { key, token } = await store.create({ name: 'ci', scope: 'admin' });
    clock.set(T0 + 5_000);
    expect(await store.revoke(key.id)).toEqual({ key: { ...key, revokedAt: T0 + 5_000 }, alreadyRevoked: false });
    expect(await rejection(store.authenticate(token))).toEqual({
      code: 'UNAUTHORIZED',
      message: `API key ${key.id} was revoked`,
      details: { keyId: key.id, revokedAt: T0 + 5_000 },
    });
    expect(await rejection(store.principal(key.id))).toMatchObject({ code: 'UNAUTHORIZED' });
    clock.set(T0 + 9_000);
    expect(await store.revoke(key.id)).toEqual({ key: { ...key, revokedAt: T0 + 5_000 }, alreadyRevoked: true });
    expect(await store.list()).toEqual([{ ...key, revokedAt: T0 + 5_000 }]);
    expect(await store.countActive()).toBe(0);
    expect(await rejection(store.revoke('abcdefabcdef'))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'api key "abcdefabcdef" not found',
    });
  });

  it('lists keys oldest first and counts the active ones', async () => {
    const a = await store.create({ name: 'a', scope: 'read' });
    clock.set(T0 + 1);
    const b = await store.create({ name: 'b', scope: 'trade' });
    await store.revoke(a.key.id);
    expect((await store.list()).map((k) => k.name)).toEqual(['a', 'b']);
    expect(await store.countActive()).toBe(1);
    expect(await store.principal(b.key.id)).toEqual({ keyId: b.key.id, name: 'b', scope: 'trade' });
  });

  it('refuses a bad name or scope, naming each field', async () => {
    const error = await rejection(store.create({ name: '', scope: 'root' as never }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect((error.details as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual([
      'name',
      'scope',
    ]);
    expect(await store.list()).toEqual([]);
  });
});

describe('ApiKeyStore at rest', () => {
  it('leaves no trace of the secret anywhere in the SQLite files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrr-keys-'));
    try {
      const db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
      const { token } = await new ApiKeyStore(db).create({ name: 'ci', scope: 'trade' });
      const secret = parseApiKeyToken(token)?.secret ?? '';
      const id = parseApiKeyToken(token)?.id ?? '';
      const contents = () =>
        readdirSync(dir)
          .map((f) => readFileSync(join(dir, f)).toString('latin1'))
          .join('');
      // The id is stored (the files are read correctly), the secret is not — before and after the WAL checkpoint.
      expect(contents().includes(id)).toBe(true);
      expect(contents().includes(secret)).toBe(false);
      await db.close();
      expect(contents().includes(id)).toBe(true);
      expect(contents().includes(secret)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('API key scopes', () => {
  it('orders scopes admin ⊇ trade ⊇ read', () => {
    expect(scopeAllows('admin', 'trade')).toBe(true);
    expect(scopeAllows('trade', 'read')).toBe(true);
    expect(scopeAllows('trade', 'admin')).toBe(false);
    expect(scopeAllows('read', 'trade')).toBe(false);
  });
});
