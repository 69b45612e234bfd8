/**
 * Start-up costs: cold `require` of @rrr/core (target < 150 ms) and `rrr serve` from process spawn to a 200 on
 * /health on SQLite (target < 2 s). Each figure is the median of several fresh processes, next to a bare `node`
 * process measured in the same run so the machine's own overhead is visible.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const root = process.cwd();
const runs = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function bundle(entry: string, outfile: string): void {
  buildSync({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    tsconfig: join(root, 'tsconfig.base.json'),
    logLevel: 'error',
  });
}

function coldRequireMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const result = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return Number(result.stdout);
}

function processMs(args: string[]): number {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, args);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function serveToHealthyMs(main: string, dir: string, i: number): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [main, 'serve', '--port', '0', '--config-dir', dir], {
    env: {
      PATH: process.env.PATH,
      NODE_PATH: join(root, 'node_modules'),
      RRR_DATABASE_SQLITE_PATH: join(dir, `rrr-${i}.db`),
      RRR_LOGGING_LEVEL: 'error',
    },
    cwd: dir,
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /(http:\/\/[^\s]+)\/health/.exec(stderr);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    for (;;) {
      const response = await fetch(`${url}/health`).catch(() => undefined);
      if (response?.status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rrr-startup-bench-'));
  try {
    const coreBundle = join(dir, 'core.js');
    const mainBundle = join(dir, 'main.js');
    bundle('libs/core/src/index.ts', coreBundle);
    bundle('apps/platform/src/main.ts', mainBundle);

    const requireCore = median(Array.from({ length: runs }, () => coldRequireMs(coreBundle)));
    const bareNode = median(Array.from({ length: runs }, () => processMs(['-e', ''])));
    const startups: number[] = [];
    for (let i = 0; i < runs; i++) startups.push(await serveToHealthyMs(mainBundle, dir, i));
    const startup = median(startups);

    console.log('### Start-up: cold import of @rrr/core, platform start to healthy');
    console.log('');
    console.log(`Median of ${runs} fresh processes each.`);
    console.log('');
    console.log('| measure | median | target | met |');
    console.log('| --- | ---: | ---: | --- |');
    console.log(
      `| cold \`require\` of @rrr/core (bundled, all of its dependencies) | ${requireCore.toFixed(1)} ms | < 150 ms | ${requireCore < 150 ? 'yes' : 'no'} |`,
    );
    console.log(`| bare \`node -e ""\` process, spawn to exit (reference) | ${bareNode.toFixed(1)} ms | — | — |`);
    console.log(
      `| \`rrr serve\` on a fresh SQLite file, spawn to first 200 on /health | ${startup.toFixed(0)} ms | < 2000 ms | ${startup < 2000 ? 'yes' : 'no'} |`,
    );
    console.log('');
    console.log(`Start-up is ${(startup / bareNode).toFixed(1)}× a bare node process.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
