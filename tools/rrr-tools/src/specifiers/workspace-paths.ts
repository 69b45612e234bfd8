import { posix } from 'node:path';

const NEEDS_NORMALIZING = /\\|\/\/|\/$|^\.{1,2}$|^\.{1,2}\/|\/\.{1,2}(\/|$)/;

/**
 * Workspace paths are posix, relative to the workspace root, without a leading `./` or a trailing `/`.
 * Every helper in this folder speaks that dialect so paths compare as plain strings.
 */
export function normalizeWorkspacePath(path: string): string {
  // Already-normal paths are by far the common case, and this runs for every lookup.
  if (!NEEDS_NORMALIZING.test(path)) return path;
  const posixPath = path.replace(/\\/g, '/');
  const normalized = posix.normalize(posixPath);
  if (normalized === '.' || normalized === './') return '';
  return normalized.replace(/^\.\//, '').replace(/\/$/, '');
}

/** Directory part of a workspace path ('' for a file at the root). */
export function workspaceDirname(path: string): string {
  const dir = posix.dirname(path);
  return dir === '.' ? '' : dir;
}

/** Joins workspace path fragments, resolving `.` and `..`; a result that climbs above the root keeps its `../`. */
export function joinWorkspacePath(...parts: string[]): string {
  return normalizeWorkspacePath(posix.join(...parts.filter((part) => part !== '')) || '.');
}

/** True for `./x`, `../x`, `.` and `..` — the specifiers that name a path rather than a package. */
export function isRelativeSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/** True when `path` is `dir` itself or lies below it. */
export function isWithin(path: string, dir: string): boolean {
  if (dir === '') return true;
  return path === dir || path.startsWith(dir + '/');
}

/** Posix relative path from a directory to a path, `''` when they are the same. */
export function relativeWorkspacePath(fromDir: string, to: string): string {
  return posix.relative(fromDir === '' ? '.' : fromDir, to === '' ? '.' : to);
}

/** Prefixes `./` unless the path already climbs (`../`); `''` becomes `.`. */
export function dotRelative(path: string): string {
  if (path === '') return '.';
  if (path === '..' || path.startsWith('../')) return path;
  return './' + path;
}
