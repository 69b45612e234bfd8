import { PathMapping } from '../../../specifiers/path-mapping';
import { isWithin, normalizeWorkspacePath } from '../../../specifiers/workspace-paths';

export type NamingConvention = 'kebab' | 'snake' | 'camel' | 'pascal';

export interface RenameCollision {
  /** The path several sources would end up at (case as planned). */
  target: string;
  /** The old paths that would land there, sorted. */
  sources: string[];
}

/** Two or more names would become the same (case-insensitively, so the plan holds on macOS and Windows too). */
export class RenameCollisionError extends Error {
  constructor(readonly collisions: RenameCollision[]) {
    super(
      `Renaming would make names collide (nothing was renamed):\n` +
        collisions
          .map((collision) => `  ${collision.sources.join(' and ')} would all become ${collision.target}`)
          .join('\n'),
    );
    this.name = 'RenameCollisionError';
  }
}

/** Files whose names are conventions of tools or of the ecosystem, whatever their case. */
const WELL_KNOWN = new Set([
  'Dockerfile',
  'Makefile',
  'Procfile',
  'Jenkinsfile',
  'Vagrantfile',
  'Gemfile',
  'Brewfile',
  'node_modules',
]);

/**
 * Names that must not change: dotfiles, `__fixtures__`-style folders, SHOUTING names (README,
 * LICENSE, CODE_OF_CONDUCT) and anything with characters outside words and separators (`[id].ts`,
 * `@scope`), whose meaning a case conversion would destroy.
 */
function isKept(stem: string): boolean {
  if (stem === '' || stem.startsWith('.') || WELL_KNOWN.has(stem)) return true;
  if (/^__.*__$/.test(stem)) return true;
  if (/^[A-Z0-9_]+$/.test(stem) && /[A-Z]/.test(stem)) return true;
  return !/^[A-Za-z0-9_\- ]+$/.test(stem);
}

/** `priceFeed_v2` → [price, Feed, v2]; `HTTPServer` → [HTTP, Server]; digits stay with the word before them. */
export function splitWords(name: string): string[] {
  return name
    .split(/[-_\s]+/)
    .filter((part) => part !== '')
    .flatMap((part) => part.match(/[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+[a-z]*/g) ?? [part]);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

function joinWords(words: string[], convention: NamingConvention): string {
  switch (convention) {
    case 'kebab':
      return words.map((word) => word.toLowerCase()).join('-');
    case 'snake':
      return words.map((word) => word.toLowerCase()).join('_');
    case 'camel':
      return words.map((word, i) => (i === 0 ? word.toLowerCase() : capitalize(word))).join('');
    case 'pascal':
      return words.map(capitalize).join('');
  }
}

/**
 * Converts one path segment. Only the part before the first dot is a name; the rest are suffixes
 * that tools match on (`.spec.ts`, `.d.ts`, `.config.js`) and stay as written. Leading and trailing
 * underscores/dashes mark private or generated files and stay too.
 */
export function convertName(segment: string, convention: NamingConvention): string {
  const dot = segment.indexOf('.', 1);
  const stem = dot < 0 ? segment : segment.slice(0, dot);
  const suffix = dot < 0 ? '' : segment.slice(dot);
  if (isKept(stem)) return segment;
  const [, leading, core, trailing] = /^([_-]*)(.*?)([_-]*)$/.exec(stem) as RegExpExecArray;
  if (core === '') return segment;
  return leading + joinWords(splitWords(core), convention) + trailing + suffix;
}

export interface PlanRenamesOptions {
  /** Only segments below this folder are renamed (a project root); paths outside it are left alone. */
  root?: string;
}

/**
 * Plans the renames that bring every file and folder name in `paths` (workspace-relative files) to
 * `convention`. Returns old → new for each file whose path changes and for each folder whose name
 * changes; throws {@link RenameCollisionError} listing the sources when two names would collide.
 */
export function planRenames(
  paths: readonly string[],
  convention: NamingConvention,
  options: PlanRenamesOptions = {},
): Map<string, string> {
  const root = normalizeWorkspacePath(options.root ?? '');
  const plan = new Map<string, string>();
  const finalFiles = new Map<string, Set<string>>();
  const finalFolders = new Map<string, Set<string>>();
  const finalCase = new Map<string, string>();
  const record = (bucket: Map<string, Set<string>>, target: string, source: string) => {
    const key = target.toLowerCase();
    if (!finalCase.has(key)) finalCase.set(key, target);
    const sources = bucket.get(key) ?? new Set<string>();
    sources.add(source);
    bucket.set(key, sources);
  };

  for (const raw of new Set(paths.map(normalizeWorkspacePath))) {
    if (!isWithin(raw, root) || raw === root) {
      record(finalFiles, raw, raw);
      continue;
    }
    const prefix = root === '' ? '' : root + '/';
    const segments = raw.slice(prefix.length).split('/');
    const converted = segments.map((segment) => convertName(segment, convention));
    for (let depth = 1; depth < segments.length; depth++) {
      const oldFolder = prefix + segments.slice(0, depth).join('/');
      const newFolder = prefix + converted.slice(0, depth).join('/');
      record(finalFolders, newFolder, oldFolder);
      if (oldFolder !== newFolder) plan.set(oldFolder, newFolder);
    }
    const renamed = prefix + converted.join('/');
    record(finalFiles, renamed, raw);
    if (renamed !== raw) plan.set(raw, renamed);
  }

  // Names that already differ only in case live side by side today; only a rename can create a new clash.
  const collisions: RenameCollision[] = [];
  const addIfNew = (key: string, sources: string[]) => {
    if (sources.length > 1 && sources.some((source) => plan.has(source))) {
      collisions.push({ target: finalCase.get(key) as string, sources: sources.sort() });
    }
  };
  for (const [key, sources] of [...finalFiles, ...finalFolders]) addIfNew(key, [...sources]);
  for (const [key, sources] of finalFiles) {
    const folderSources = finalFolders.get(key);
    if (folderSources) addIfNew(key, [...sources, ...folderSources]);
  }
  if (collisions.length > 0) {
    throw new RenameCollisionError(collisions.sort((a, b) => a.target.localeCompare(b.target)));
  }
  return plan;
}

/** The file moves of a plan as a {@link PathMapping} (folders follow from their files). */
export function renamesToMapping(plan: ReadonlyMap<string, string>, files: readonly string[]): PathMapping {
  const mapping = new PathMapping();
  for (const file of files) {
    const renamed = plan.get(normalizeWorkspacePath(file));
    if (renamed !== undefined) mapping.set(file, renamed);
  }
  return mapping;
}
