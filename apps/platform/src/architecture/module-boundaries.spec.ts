import { createProjectGraphAsync, workspaceRoot, type ProjectGraph } from '@nx/devkit';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ALLOWED_DEPENDENCIES, isAllowedDependency } from './dependency-rules';

const BOUNDARY_RULE = '@nx/enforce-module-boundaries';

interface Probe {
  source: string;
  target: string;
}

/**
 * ESLint loads its flat config with a dynamic import, which jest's module sandbox cannot do, so the probes are
 * linted by the real ESLint in one child process (the same engine `nx lint` runs).
 */
const LINT_PROBES = `
import { ESLint } from 'eslint';
const probes = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const { code, filePath } of probes) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push(result.messages.filter((m) => m.ruleId === '${BOUNDARY_RULE}').map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
`;

let graph: ProjectGraph;

beforeAll(async () => {
  // The boundary rule reads the cached project graph; computing it here makes the spec independent of how it is run.
  graph = await createProjectGraphAsync({ exitOnError: false });
}, 60_000);

function boundaryErrors(probes: Probe[]): string[][] {
  const files = probes.map(({ source, target }) => ({
    code: `import * as dependency from '@rrr/${target}';\nexport const used = dependency;\n`,
    filePath: join(workspaceRoot, graph.nodes[source].data.root, 'src', 'boundary-probe.ts'),
  }));
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_PROBES, JSON.stringify(files)], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as string[][];
}

function boundaryErrorsFor(source: string, target: string): string[] {
  return boundaryErrors([{ source, target }])[0];
}

describe('module boundaries', () => {
  it('the workspace has exactly the projects of the dependency table', () => {
    expect(Object.keys(graph.nodes).sort()).toEqual(Object.keys(ALLOWED_DEPENDENCIES).sort());
  });

  it('lint rejects a forbidden import: core → any service', () => {
    // Every service imports core, so the probe also closes a cycle; the rule then reports the cycle instead.
    const errors = boundaryErrorsFor('core', 'monitoring');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^(A project tagged with "scope:core" can only depend on libs tagged with "scope:core"|Circular dependency between "core" and "monitoring" detected: core -> monitoring -> core)/,
    );
  });

  it('lint rejects a forbidden import: backtesting → monitoring', () => {
    const errors = boundaryErrorsFor('backtesting', 'monitoring');
    expect(errors).toEqual([
      'A project tagged with "service:backtesting" can only depend on libs tagged with "scope:core", ' +
        '"service:trading-engine", "service:risk-management", "service:data-pipeline", "service:neural-network"',
    ]);
  });

  it('lint encodes exactly the dependency table: every allowed edge passes, every other edge fails', () => {
    const libraries = Object.keys(ALLOWED_DEPENDENCIES).filter((p) => p !== 'platform');
    const probes = Object.keys(ALLOWED_DEPENDENCIES).flatMap((source) =>
      libraries.filter((target) => target !== source).map((target) => ({ source, target })),
    );
    const errors = boundaryErrors(probes);
    const disagreements = probes
      .map((probe, i) => ({ ...probe, rejected: errors[i].length > 0 }))
      .filter(({ source, target, rejected }) => rejected === isAllowedDependency(source, target))
      .map(({ source, target, rejected }) => `${source} → ${target}: lint ${rejected ? 'rejects' : 'allows'} it`);
    expect(probes).toHaveLength(100);
    expect(disagreements).toEqual([]);
  }, 60_000);

  it('the project graph has only allowed edges', () => {
    const forbidden = Object.entries(graph.dependencies).flatMap(([source, deps]) =>
      deps
        .filter((d) => graph.nodes[d.target] && !isAllowedDependency(source, d.target))
        .map((d) => `${source} → ${d.target}`),
    );
    expect(forbidden).toEqual([]);
  });
});
