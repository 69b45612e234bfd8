import * as ts from 'typescript';

/** Extensions of files whose module references we read and rewrite. */
export const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/** Extensions TypeScript strips when it resolves an extensionless specifier, longest first. */
const STRIPPABLE_EXTENSIONS = [
  '.d.mts',
  '.d.cts',
  '.d.ts',
  '.tsx',
  '.ts',
  '.mts',
  '.cts',
  '.jsx',
  '.js',
  '.mjs',
  '.cjs',
];

export function isScriptFile(path: string): boolean {
  return SCRIPT_EXTENSIONS.some((extension) => path.endsWith(extension));
}

export function isTypeScriptSource(path: string): boolean {
  return /\.(d\.)?[mc]?tsx?$/.test(path);
}

/** The ScriptKind TypeScript needs to parse the file with the right grammar (JSX, JS-only JSDoc types…). */
export function scriptKindFor(fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(fileName)) return ts.ScriptKind.JS;
  if (fileName.endsWith('.json')) return ts.ScriptKind.JSON;
  return ts.ScriptKind.TS;
}

/** The resolvable extension of a file (`.d.ts` counts as one), or '' when it has none we know. */
export function scriptExtensionOf(path: string): string {
  return STRIPPABLE_EXTENSIONS.find((extension) => path.endsWith(extension)) ?? '';
}

/** The path without its script extension, as an extensionless specifier would name it. */
export function stripScriptExtension(path: string): string {
  const extension = scriptExtensionOf(path);
  return extension ? path.slice(0, -extension.length) : path;
}

/** The JS extension a `.js`-style (ESM) specifier uses for a TS source: `.ts` → `.js`, `.mts` → `.mjs`. */
export function jsExtensionFor(tsPath: string, writtenExtension: string): string {
  if (/\.d?\.?mts$/.test(tsPath)) return '.mjs';
  if (/\.d?\.?cts$/.test(tsPath)) return '.cjs';
  if (tsPath.endsWith('.tsx') && writtenExtension === '.jsx') return '.jsx';
  return '.js';
}
