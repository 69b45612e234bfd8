import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ForkedServerBench {
  /** Temp folder prefix, e.g. `rrr-api-bench-`. */
  tmpPrefix: string;
  /** Child mode: start the server in `dir`, then `process.send({ url })` and stop on `stopMessage`. */
  serve(dir: string): Promise<void>;
  /** Parent mode: load the server at `url` and print the results. */
  measure(url: string, child: ChildProcess): Promise<void>;
  stopMessage: Serializable;
}

/**
 * The entry of a benchmark whose server runs in a child process forked from the same file (`--serve <dir>`), so the
 * load generator does not share the server's event loop. The parent removes the temp folder once the child is gone.
 */
export function runForkedServerBench(bench: ForkedServerBench): void {
  if (process.argv[2] === '--serve') {
    bench.serve(process.argv[3]).catch((error) => {
      console.error(error);
      process.exit(1);
    });
    return;
  }
  measureAgainstChild(bench).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

async function measureAgainstChild(bench: ForkedServerBench): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), bench.tmpPrefix));
  const child = fork(process.argv[1], ['--serve', dir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.on('message', (message: object) => {
        if ('url' in message && typeof message.url === 'string') resolve(message.url);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    await bench.measure(url, child);
  } finally {
    child.send(bench.stopMessage);
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
