import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Bench } from 'tinybench';
import { git, splitNul } from '../../git';
import { installPlugin, nxRunner, WORKSPACE_MODULES } from '../../testing/nx-cli';
import { createLegacyFixture } from '../legacy-fixture/lib/create-legacy-fixture';
import { discoverWorktrees } from './lib/discover-worktrees';
import { importHistory } from './lib/import-history';
import { previewImport } from './lib/preview-import';
import { typecheckProjects, type TypecheckResult } from './lib/typecheck-projects';

const SERVICES = 8;
const FILES_PER_SERVICE = 250;
const TARGET_SPEEDUP = 5;

/**
 * `nx g @rrr/tools:consolidate` against what Nx ships for moving projects, `@nx/workspace:move`, once per service in
 * a workspace using tsconfig paths, on a generated legacy repository of 8 services × 250 TypeScript files (mixed
 * naming, cross-worktree relative imports, path aliases, jest.mock, typeof import()).
 *
 * Both run through the Nx CLI, as a user runs them: one `nx g @rrr/tools:consolidate --allowDirty=commit` in the
 * legacy repository (pre-flight, backup, history import, renames, libraries, rewrite, registry, report, commits,
 * typecheck) against eight `nx g @nx/workspace:move` in a workspace where each service already is a project at
 * worktrees/<folder>. Afterwards each result is typechecked with its projects' own tsconfigs: the tsc errors each
 * leaves. (In process, on a disk-backed Nx tree, consolidate's tree phase and the eight move generator calls take
 * about the same time — 5.0 s and 6.0 s measured on 2 busy cores — so they are not repeated here.)
 */

interface Sources {
  main: Map<string, Buffer>;
  services: Array<{ name: string; folder: string; worktree: string; files: Map<string, Buffer> }>;
}

function readSources(root: string): Sources {
  const discovered = discoverWorktrees(root);
  const preview = previewImport(root, importHistory(discovered, { dryRun: true }), [], new Map());
  const main = new Map<string, Buffer>();
  for (const path of splitNul(git(root, ['ls-files', '-z'], { raw: true })))
    main.set(path, preview.tree.read(path) as Buffer);
  const services = preview.services.map((service) => {
    const worktree = discovered.services.find((s) => s.name === service.name);
    if (!worktree) throw new Error(`no worktree for ${service.name}`);
    const files = new Map(
      service.files.map((file) => [file, preview.tree.read(`${service.target}/${file}`) as Buffer] as const),
    );
    return { name: service.name, folder: worktree.folder, worktree: worktree.relativePath, files };
  });
  return { main, services };
}

function writeTo(dir: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** The move generator's starting point: an Nx workspace (tsconfig paths) with each service a project at its worktree folder. */
function writePeerWorkspace(sources: Sources): string {
  const dir = mkdtempSync(join(tmpdir(), 'rrr-bench-move-'));
  for (const [path, content] of sources.main) {
    // The legacy .gitignore ignores worktrees/, where the peer's projects live.
    writeTo(dir, path, path === '.gitignore' ? 'node_modules\ndist/\n' : content);
  }
  const paths: Record<string, string[]> = {};
  for (const service of sources.services) {
    for (const [path, content] of service.files) writeTo(dir, `${service.worktree}/${path}`, content);
    writeTo(
      dir,
      `${service.worktree}/project.json`,
      JSON.stringify(
        { name: service.name, sourceRoot: `${service.worktree}/src`, projectType: 'library', targets: {} },
        null,
        2,
      ),
    );
    paths[`@rrr/${service.name}`] = [`${service.worktree}/src/index.ts`];
  }
  writeTo(dir, 'nx.json', JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json' }, null, 2));
  writeTo(dir, 'tsconfig.base.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths } }, null, 2));
  symlinkSync(WORKSPACE_MODULES, join(dir, 'node_modules'), 'dir');
  return dir;
}

function moveArgs(service: Sources['services'][number]) {
  return {
    projectName: service.name,
    destination: `libs/services/${service.name}`,
    importPath: `@rrr/${service.name}`,
    updateImportPath: true,
  };
}

/** One Nx CLI run that must succeed: its output. */
function nx(cwd: string, dataDir: string, args: string[]): string {
  const run = nxRunner(cwd, dataDir)(...args);
  if (run.status !== 0) throw new Error(`nx ${args.join(' ')} failed in ${cwd}:\n${run.output}`);
  return run.output;
}

function peerConfigs(sources: Sources): string[] {
  return sources.services.map((s) => `libs/services/${s.name}/tsconfig.json`);
}

function latency(bench: Bench, name: string): { mean: number; runs: number } {
  const task = bench.tasks.find((t) => t.name === name);
  const result = task?.result;
  if (!result || result.state !== 'completed') throw new Error(`${name}: ${result?.state ?? 'missing'}`);
  return { mean: result.latency.mean, runs: result.latency.samplesCount };
}

function describeErrors(check: TypecheckResult): string {
  if (check.problems.length === 0) return '';
  const byCode = new Map<number, number>();
  for (const problem of check.problems) byCode.set(problem.code, (byCode.get(problem.code) ?? 0) + 1);
  const first = check.problems[0];
  return (
    [...byCode]
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `TS${code} × ${n}`)
      .join(', ') + ` (first: ${first.file}:${first.line} ${first.message.split('\n')[0]})`
  );
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'rrr-bench-consolidate-'));
  const cleanup = new Set<string>([scratch]);
  const fresh = (prefix: string) => {
    const dir = mkdtempSync(join(scratch, prefix));
    return dir;
  };
  try {
    // The first consolidate run takes this repository; a further iteration would build a fresh one.
    let legacy = join(fresh('legacy-'), 'repo');
    const fixture = createLegacyFixture({ directory: legacy, services: SERVICES, filesPerService: FILES_PER_SERVICE });
    installPlugin(legacy);
    let legacyUsed = false;
    const sources = readSources(legacy);
    const tsFiles = sources.services.reduce(
      (n, s) => n + [...s.files.keys()].filter((f) => f.endsWith('.ts')).length,
      0,
    );

    let peerCli = '';
    let consolidateOutput = '';
    const bench = new Bench({ time: 0, iterations: 1, warmup: false, throws: true });
    const names = {
      oursCli: 'nx g @rrr/tools:consolidate (1 CLI run, git and typecheck included)',
      peerCli: `nx g @nx/workspace:move × ${SERVICES} (CLI runs)`,
    };
    bench
      .add(
        names.oursCli,
        () => {
          consolidateOutput = nx(legacy, fresh('nx-'), ['g', '@rrr/tools:consolidate', '--allowDirty=commit']);
          legacyUsed = true;
        },
        {
          beforeEach: () => {
            if (!legacyUsed) return;
            legacy = join(fresh('legacy-'), 'repo');
            createLegacyFixture({ directory: legacy, services: SERVICES, filesPerService: FILES_PER_SERVICE });
            installPlugin(legacy);
          },
        },
      )
      .add(
        names.peerCli,
        () => {
          const data = fresh('nx-');
          for (const service of sources.services) {
            const { projectName, destination, importPath } = moveArgs(service);
            nx(peerCli, data, [
              'g',
              '@nx/workspace:move',
              `--projectName=${projectName}`,
              `--destination=${destination}`,
              `--importPath=${importPath}`,
            ]);
          }
        },
        { beforeEach: () => void cleanup.add((peerCli = writePeerWorkspace(sources))) },
      );
    await bench.run();

    // consolidate typechecks its libraries (tsconfig.lib.json and tsconfig.spec.json of each) as the last step of
    // its run, with the same function as below; its count is read from its output rather than paid for twice.
    const ourTypecheck = /Typecheck of (\d+) tsconfig\(s\): (no errors|(\d+) error\(s\)) \(([\d.]+) s\)/.exec(
      consolidateOutput,
    );
    if (!ourTypecheck) throw new Error(`consolidate printed no typecheck result:\n${consolidateOutput}`);
    const oursErrors = Number(ourTypecheck[3] ?? 0);
    const peerCheck = typecheckProjects(peerCli, peerConfigs(sources));
    const oursCli = latency(bench, names.oursCli);
    const peerCliTime = latency(bench, names.peerCli);
    const cliRatio = peerCliTime.mean / oursCli.mean;
    const met = cliRatio >= TARGET_SPEEDUP && oursErrors === 0;
    const rewritten = /(\d+) import\(s\) rewritten/.exec(consolidateOutput)?.[1] ?? '?';
    const s = (ms: number) => (ms / 1000).toFixed(2);

    process.stdout.write(
      [
        `### consolidate vs @nx/workspace:move (${SERVICES} services × ${FILES_PER_SERVICE} files)`,
        '',
        `Legacy fixture: ${fixture.services.length} worktrees, ${tsFiles} TypeScript files, one dirty worktree. ` +
          `${oursCli.runs} run per row (each CLI run needs a fresh repository; the runs are seconds long).`,
        '',
        '| approach | time (s) | tsc errors left |',
        '| --- | --- | --- |',
        `| ${names.oursCli} | ${s(oursCli.mean)} | ${oursErrors} |`,
        `| ${names.peerCli} | ${s(peerCliTime.mean)} | ${peerCheck.problems.length} |`,
        '',
        `consolidate rewrote ${rewritten} imports and its own typecheck took ${ourTypecheck[4]} s of its run; ` +
          `tsc errors counted with each project's own tsconfigs (ours: the ${ourTypecheck[1]} tsconfig.lib/spec.json of its libraries; move: the legacy tsconfig.json each moved project keeps).`,
        peerCheck.problems.length > 0 ? `Errors move leaves: ${describeErrors(peerCheck)}.` : '',
        '',
        `Ratio (move × ${SERVICES} / consolidate): **${cliRatio.toFixed(2)}x**.`,
        `Target (≥ ${TARGET_SPEEDUP}x faster and zero tsc errors): ${met ? '**met**' : `**not met** — zero errors ${oursErrors === 0 ? 'met' : 'not met'}, speed-up ${cliRatio.toFixed(2)}x`}.`,
        '',
      ].join('\n'),
    );
  } finally {
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
