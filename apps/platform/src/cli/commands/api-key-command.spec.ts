import { openDatabase } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore } from '../../security';
import type { CliIo } from '../cli-io';
import { runCli } from '../run-cli';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('rrr api-key', () => {
  let dir: string;
  let dbPath: string;
  const savedEnv = { ...process.env };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-api-key-'));
    for (const key of Object.keys(process.env)) if (key.startsWith('RRR_')) delete process.env[key];
    dbPath = join(dir, 'rrr.db');
    process.env.RRR_DATABASE_SQLITE_PATH = dbPath;
  });

  afterEach(() => {
    process.env = { ...savedEnv };
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(...argv: string[]) {
    const io = capture();
    const code = await runCli([...argv, '--config-dir', dir], io);
    return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
  }

  it('create prints the key once, alone on stdout; the key authenticates with its scope', async () => {
    const created = await run('api-key', 'create', '--scope', 'trade', '--name', 'ci');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^rrr_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const id = created.stdout.slice(4, 16);
    expect(created.stderr).toBe(
      `created API key ${id} (scope trade, name "ci"). Store it now: it is shown only this once. ` +
        'Send it as "Authorization: Bearer <key>" or "x-api-key: <key>".',
    );
    const db = await openDatabase({ sqlitePath: dbPath });
    try {
      expect(await new ApiKeyStore(db).authenticate(created.stdout)).toEqual({ keyId: id, name: 'ci', scope: 'trade' });
    } finally {
      await db.close();
    }
  });

  it('list shows ids, names, scopes and status but never a secret; revoke takes effect and is idempotent', async () => {
    const empty = await run('api-key', 'list');
    expect(empty).toEqual({
      code: 0,
      stdout: 'no API keys: create one with `rrr api-key create --scope admin --name <name>`',
      stderr: '',
    });
    const token = (await run('api-key', 'create', '--scope', 'admin', '--name', 'ops')).stdout;
    const id = token.slice(4, 16);
    const secret = token.slice(17);

    const listed = await run('api-key', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${id}  admin  `);
    expect(listed.stdout).toMatch(/never\s+active\s+ops$/m);
    expect(listed.stdout).not.toContain(secret);

    const json = JSON.parse((await run('api-key', 'list', '--json')).stdout);
    expect(json).toEqual([{ id, name: 'ops', scope: 'admin', createdAt: expect.any(Number) }]);

    expect(await run('api-key', 'revoke', id)).toMatchObject({
      code: 0,
      stdout: `revoked API key ${id} ("ops", scope admin)`,
    });
    const again = await run('api-key', 'revoke', id);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^API key ${id} was already revoked \\(\\d{4}-\\d{2}-\\d{2}T`));
    expect((await run('api-key', 'list')).stdout).toMatch(/revoked \d{4}-\d{2}-\d{2}T\S+\s+ops$/m);
  });

  it('revoking an unknown id fails with exit 1 naming it', async () => {
    const result = await run('api-key', 'revoke', 'abcdefabcdef');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('rrr: NOT_FOUND: api key "abcdefabcdef" not found');
  });

  it('a missing or unknown scope is a usage error (exit 2)', async () => {
    const missing = await run('api-key', 'create', '--name', 'ci');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing required argument: scope');
    const unknown = await run('api-key', 'create', '--name', 'ci', '--scope', 'root');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Invalid values');
    expect((await run('api-key')).code).toBe(2);
  });

  it('a bad name fails with the field named', async () => {
    const result = await run('api-key', 'create', '--scope', 'read', '--name', '!!');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^rrr: VALIDATION_FAILED: api key: name: must be 1-64 characters/);
  });
});
