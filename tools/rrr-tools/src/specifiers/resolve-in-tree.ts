import { isRelativeSpecifier, joinWorkspacePath, workspaceDirname } from './workspace-paths';

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

/**
 * Resolves a relative specifier the way TypeScript's node resolution does for files (exact name,
 * `.js` → `.ts` substitution, added extensions, directory index) — without a tsconfig, which is all
 * a barrel file's own `./x` re-exports need.
 */
export function resolveRelativeInTree(
  fileExists: (path: string) => boolean,
  containingPath: string,
  specifier: string,
): string | undefined {
  if (!isRelativeSpecifier(specifier)) return undefined;
  const base = joinWorkspacePath(workspaceDirname(containingPath), specifier);
  const jsExtension = Object.keys(JS_TO_TS).find((extension) => base.endsWith(extension));
  const candidates: string[] = [];
  if (jsExtension) {
    const stem = base.slice(0, -jsExtension.length);
    candidates.push(...JS_TO_TS[jsExtension].map((extension) => stem + extension));
  }
  candidates.push(base, ...EXTENSIONS.map((extension) => base + extension));
  candidates.push(...EXTENSIONS.map((extension) => `${base}/index${extension}`));
  return candidates.find((candidate) => candidate !== '' && /\.[a-z]+$/.test(candidate) && fileExists(candidate));
}
