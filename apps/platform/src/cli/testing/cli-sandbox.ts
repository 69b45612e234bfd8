import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../cli-io';
import { runCli } from '../run-cli';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Captured output of one CLI run. */
export function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/**
 * A temp folder holding the config dir and the SQLite database, with every `RRR_*` variable of the test process
 * cleared, so each spec runs `rrr` against its own embedded platform. Call `setUp` in before*, `tearDown` in after*.
 */
export class CliSandbox {
  dir = '';
  private savedEnv: NodeJS.ProcessEnv = {};

  constructor(private readonly prefix: string) {}

  /** `env`: extra variables, or a function of the sandbox folder that returns them. */
  setUp(env: Record<string, string> | ((dir: string) => Record<string, string>) = {}): void {
    this.savedEnv = { ...process.env };
    this.dir = mkdtempSync(join(tmpdir(), this.prefix));
    for (const key of Object.keys(process.env)) if (key.startsWith('RRR_')) delete process.env[key];
    process.env.RRR_DATABASE_SQLITE_PATH = join(this.dir, 'rrr.db');
    Object.assign(process.env, typeof env === 'function' ? env(this.dir) : env);
  }

  tearDown(): void {
    process.env = { ...this.savedEnv };
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs one command line with this sandbox's config dir. */
  async run(...argv: string[]): Promise<CliRun> {
    const io = captureIo();
    const code = await runCli([...argv, '--config-dir', this.dir], io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  }
}
