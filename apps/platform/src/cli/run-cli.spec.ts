import { openDatabase } from '@rrr/core';
import { AuditTrail } from '@rrr/monitoring';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { captureIo as capture, CliSandbox } from './testing/cli-sandbox';

describe('rrr CLI', () => {
  const sandbox = new CliSandbox('rrr-cli-');
  let dir: string;

  beforeEach(() => {
    sandbox.setUp();
    dir = sandbox.dir;
  });

  afterEach(() => sandbox.tearDown());

  it('--help lists the commands and exits 0', async () => {
    const io = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    const help = io.stdout.join('\n');
    for (const command of ['serve', 'db <action>', 'config <action>']) expect(help).toContain(`rrr ${command}`);
  });

  it('an unknown command is a usage error (exit 2) that says what is wrong', async () => {
    const io = capture();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('Unknown argument: frobnicate');
  });

  it('config show prints the layered config with secrets redacted', async () => {
    process.env.POLYGON_API_KEY = 'pk-very-secret';
    process.env.RRR_SERVER_PORT = '4123';
    writeFileSync(join(dir, 'development.yaml'), 'risk:\n  maxOpenPositions: 7\n');
    const io = capture();
    expect(await runCli(['config', 'show', '--json', '--env', 'development', '--config-dir', dir], io)).toBe(0);
    const shown = JSON.parse(io.stdout.join(''));
    expect(shown.server.port).toBe(4123);
    expect(shown.risk.maxOpenPositions).toBe(7);
    expect(shown.secrets.polygonApiKey).toBe('[redacted]');
    expect(io.stdout.join('')).not.toContain('pk-very-secret');
  });

  it('an invalid config value stops with exit 78 and names the key, value and expectation', async () => {
    process.env.RRR_SERVER_PORT = 'abc';
    const io = capture();
    expect(await runCli(['config', 'show', '--config-dir', dir], io)).toBe(78);
    expect(io.stderr.join('\n')).toContain('CONFIG_INVALID');
    expect(io.stderr.join('\n')).toContain('server.port');
    expect(io.stderr.join('\n')).toContain('"abc"');
    expect(io.stderr.join('\n')).toContain('RRR_SERVER_PORT');
  });

  it('db status shows pending migrations without applying them; db migrate applies them', async () => {
    const before = capture();
    expect(await runCli(['db', 'status', '--config-dir', dir], before)).toBe(0);
    expect(before.stdout.join('\n')).toMatch(/0001 .* pending/);

    const migrate = capture();
    expect(await runCli(['db', 'migrate', '--config-dir', dir], migrate)).toBe(0);
    expect(migrate.stdout.join('\n')).toMatch(/0001 .* applied \d{4}-\d{2}-\d{2}T/);
    expect(migrate.stdout.join('\n')).toContain('schema is up to date');

    const after = capture();
    const code = await runCli(['db', 'status', '--config-dir', dir], after);
    expect(after.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(after.stdout.join('\n')).toContain('schema is up to date');
  });
});

describe('rrr audit verify', () => {
  const sandbox = new CliSandbox('rrr-audit-');
  let dir: string;

  beforeEach(() => {
    sandbox.setUp();
    dir = sandbox.dir;
  });

  afterEach(() => sandbox.tearDown());

  async function appendRecords(count: number): Promise<void> {
    const db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    const trail = new AuditTrail(db);
    for (let i = 0; i < count; i++)
      await trail.append({ actor: 'operator', action: 'order.submit', payload: { n: i } });
    await db.close();
  }

  it('exits 0 on an intact chain and 1 naming the record after an edit', async () => {
    await appendRecords(4);
    const intact = capture();
    expect(await runCli(['audit', 'verify', '--config-dir', dir], intact)).toBe(0);
    expect(intact.stdout.join('\n')).toMatch(/^audit trail OK: 4 records verified, head 4:[0-9a-f]{64}$/);

    const db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    await db.execute(`UPDATE audit_log SET payload = ? WHERE seq = 3`, ['{"n":99}']);
    await db.close();

    const tampered = capture();
    expect(await runCli(['audit', 'verify', '--config-dir', dir], tampered)).toBe(1);
    expect(tampered.stdout.join('\n')).toContain('audit trail BROKEN at record 3 (hash-mismatch)');
    expect(tampered.stdout.join('\n')).toContain('2 records verified before it');
  });
});
