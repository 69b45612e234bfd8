// `npm run bench [-- <filter>]`: run every `*.bench.ts` of the workspace, one node process each, and collect the
// markdown each prints into bench-results.md (figures for BENCHMARKS.md come from this file, with this command).
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundle, workspaceRoot } from './build-platform.mjs';

function findBenches(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findBenches(path));
    else if (name.endsWith('.bench.ts')) found.push(path);
  }
  return found;
}

const filters = process.argv.slice(2);
const benches = ['libs', 'apps', 'tools']
  .flatMap((d) => findBenches(join(workspaceRoot, d)))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (benches.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ') || '(none found)'}`);
  process.exit(1);
}

const sections = [];
let failed = 0;
for (const file of benches) {
  const rel = relative(workspaceRoot, file);
  const out = await bundle(rel, join('dist/bench', rel.replace(/\.ts$/, '.js')));
  console.error(`▶ ${rel}`);
  const run = spawnSync(process.execPath, ['--expose-gc', out], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout);
  if (run.status !== 0) {
    failed += 1;
    sections.push(`<!-- ${rel} failed with exit code ${run.status} -->`);
  } else {
    sections.push(`<!-- ${rel} -->\n${run.stdout.trim()}`);
  }
}

const header = `# Benchmark results\n\nMachine: ${process.platform} ${process.arch}, Node ${process.version}, ${new Date().toISOString()}\nCommand: npm run bench${filters.length ? ' -- ' + filters.join(' ') : ''}\n`;
writeFileSync(join(workspaceRoot, 'dist/bench-results.md'), `${header}\n${sections.join('\n\n')}\n`);
console.error(`results written to dist/bench-results.md`);
process.exit(failed ? 1 : 0);
