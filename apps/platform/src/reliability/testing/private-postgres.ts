import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest of Debian's PostgreSQL versions installed (`/usr/lib/postgresql/<major>/bin`). */
function debianPostgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  return join(root, majors[0] ?? '15', 'bin');
}

/** Where initdb, pg_ctl and postgres are; RRR_TEST_POSTGRES_BIN points elsewhere. */
export const POSTGRES_BIN_DIR = process.env['RRR_TEST_POSTGRES_BIN'] ?? debianPostgresBinDir();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** initdb and the server refuse to run as root: under root they run as the `postgres` account. */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('running as root, and there is no postgres account to run initdb and the server under');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * A PostgreSQL server of its own in a temp dir (data directory, unix socket and log there, a free loopback port),
 * for tests that restart or stop the server: the machine's shared server is never touched. `stop()` shuts it down
 * and deletes the directory.
 */
export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly account: { uid: number; gid: number } | undefined,
  ) {}

  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  static async start(): Promise<PrivatePostgres> {
    const account = serverAccount();
    const dir = mkdtempSync(join(tmpdir(), 'rrr-private-pg-'));
    if (account !== undefined) chownSync(dir, account.uid, account.gid);
    const instance = new PrivatePostgres(dir, await freePort(), account);
    try {
      await instance.binary('initdb', [
        '-D',
        instance.dataDir,
        '-A',
        'trust',
        '-U',
        'postgres',
        '-E',
        'UTF8',
        '--no-sync',
      ]);
      await instance.pgCtl('start');
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return instance;
  }

  /** `pg_ctl restart -m fast`: every session is terminated, in-flight transactions roll back, then it starts again. */
  async restart(): Promise<void> {
    await this.pgCtl('restart', ['-m', 'fast']);
  }

  async stop(): Promise<void> {
    try {
      await this.binary('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'immediate', '-w']).catch(() => undefined);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private pgCtl(command: 'start' | 'restart', extra: string[] = []): Promise<void> {
    // Socket and lock files in the temp dir, so nothing lands in /var/run/postgresql.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    return this.binary('pg_ctl', [
      command,
      '-D',
      this.dataDir,
      '-w',
      '-t',
      '30',
      '-l',
      join(this.dir, 'log'),
      ...extra,
      '-o',
      options,
    ]);
  }

  private async binary(name: string, args: string[]): Promise<void> {
    try {
      await run(join(POSTGRES_BIN_DIR, name), args, {
        ...(this.account ?? {}),
        cwd: this.dir,
        timeout: 60_000,
      });
    } catch (error) {
      const { stderr, stdout, code } = error as { stderr?: string; stdout?: string; code?: unknown };
      const hint =
        code === 'ENOENT'
          ? ` (no ${name} in ${POSTGRES_BIN_DIR}; point RRR_TEST_POSTGRES_BIN at PostgreSQL's bin folder)`
          : '';
      throw new Error(`${name} ${args[0]} failed: ${(stderr || stdout || String(error)).trim()}${hint}`);
    }
  }
}
