import type { ServiceBlueprint } from './service-blueprint';

/** Folder and file naming styles mixed on purpose, as in the legacy code (snake, camel, kebab). */
const FOLDERS = ['calc_steps', 'calcHelpers', 'calc-ops'] as const;

function fileName(index: number): string {
  switch (index % 3) {
    case 0:
      return `step_${index}`;
    case 1:
      return `step${index}Calc`;
    default:
      return `step-${index}`;
  }
}

/** Module path (relative to the service root, without extension) of scaled module `index`. */
export function scaledModulePath(index: number): string {
  return `src/${FOLDERS[Math.floor(index / 10) % FOLDERS.length]}/${fileName(index)}`;
}

function relativeSpecifier(fromModule: string, toModule: string): string {
  const from = fromModule.split('/').slice(0, -1);
  const to = toModule.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

/** `step<index>`: each module builds on the previous one, so the chain only works if every import resolves. */
export function scaledFunctionName(index: number): string {
  return `step${index}`;
}

/**
 * `count` generated modules forming one import chain (module i imports module i-1), mixing relative
 * imports, shared-code aliases, relative climbs to the shared code and, every tenth module, another
 * service's alias. Returned as path → content.
 */
export function scaledModules(
  service: ServiceBlueprint,
  count: number,
  aliasSource?: ServiceBlueprint,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 0; index < count; index++) {
    const path = scaledModulePath(index);
    const depth = path.split('/').length - 1;
    const lines: string[] = [];
    let body: string;
    if (index === 0) {
      lines.push("import type { Bar } from '@shared/types';");
      lines.push(`import { mean } from '${'../'.repeat(depth + 2)}src/core/math_utils';`);
      body = `  return Math.round(mean(bars.map((bar) => bar.close)));`;
    } else {
      const previous = scaledModulePath(index - 1);
      lines.push("import type { Bar } from '@shared/types';");
      lines.push(`import { ${scaledFunctionName(index - 1)} } from '${relativeSpecifier(path, previous)}';`);
      const cross = index % 10 === 5 && aliasSource?.aliasImport;
      if (cross) {
        lines.push(`import { ${cross.name} } from '${cross.specifier}';`);
        body = `  const probe: number = Number(${cross.call});\n  return ${scaledFunctionName(index - 1)}(bars) + ${index} + (Number.isFinite(probe) ? 0 : 1);`;
      } else {
        body = `  return ${scaledFunctionName(index - 1)}(bars) + ${index};`;
      }
    }
    files[`${path}.ts`] = `${lines.join('\n')}

/** Step ${index} of the ${service.folder} calculation chain. */
export function ${scaledFunctionName(index)}(bars: readonly Bar[]): number {
${body}
}
`;
  }
  if (count > 0) {
    const last = count - 1;
    // mean close of the bars below is 2; step k adds k, so the chain ends at 2 + k(k+1)/2.
    const expected = 2 + (last * (last + 1)) / 2;
    files['tests/calc_chain.test.ts'] = `import { ${scaledFunctionName(last)} } from '../${scaledModulePath(last)}';

const bars = [1, 2, 3].map((close, i) => ({ symbol: 'X', time: i, open: close, high: close, low: close, close, volume: 1 }));

describe('${service.folder} calculation chain', () => {
  it('threads every step through ${count} modules', () => {
    expect(${scaledFunctionName(last)}(bars)).toBe(${expected});
  });
});
`;
  }
  return files;
}
