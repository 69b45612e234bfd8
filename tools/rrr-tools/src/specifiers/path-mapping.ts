import type { Tree } from '@nx/devkit';
import type { ProjectInfo } from './project-info';
import { normalizeWorkspacePath } from './workspace-paths';

/**
 * Where the consolidation records its mapping: at the workspace root, next to MIGRATION_REPORT.md, so it exists in
 * any repository (one without a tools/ folder too). The migration reads it from here.
 */
export const DEFAULT_MAPPING_PATH = 'consolidation-mapping.json';

/** Where earlier versions recorded it: still read (and moved to DEFAULT_MAPPING_PATH by the next consolidation). */
export const LEGACY_MAPPING_PATH = 'tools/rrr-tools/consolidation-mapping.json';

/** The serialised form: stable key order so the recorded file diffs cleanly. */
export interface PathMappingRecord {
  version: 1;
  /** old workspace path → new workspace path, one entry per moved file. */
  files: Record<string, string>;
  /** The projects the files were consolidated into (for `@scope/name` specifiers). */
  projects?: ProjectInfo[];
  /**
   * Original text of files that the consolidation replaced, keyed by OLD path (legacy tsconfig.json
   * files): later rewrites resolve legacy path aliases with them.
   */
  originalFiles?: Record<string, string>;
}

/** A rename changes only case and separators, so two names are "the same segment" under this key. */
function looseKey(segment: string): string {
  return segment.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * Old file path ↔ new file path for every moved file. Paths not in the mapping did not move, so both
 * directions are the identity for them; the inverse is kept so in-flight code at either location can
 * be placed. Directories are inferred from the files below them.
 */
export class PathMapping {
  private readonly forward = new Map<string, string>();
  private readonly backward = new Map<string, string>();
  private directoryIndex: Map<string, string | null> | undefined;
  projects: ProjectInfo[] = [];
  originalFiles: Record<string, string> = {};

  constructor(entries: Iterable<readonly [string, string]> | Record<string, string> = []) {
    const pairs = Symbol.iterator in entries ? entries : Object.entries(entries);
    for (const [oldPath, newPath] of pairs as Iterable<readonly [string, string]>) this.set(oldPath, newPath);
  }

  /** Records a move; two files may not land on the same path. */
  set(oldPath: string, newPath: string): this {
    const from = normalizeWorkspacePath(oldPath);
    const to = normalizeWorkspacePath(newPath);
    const previous = this.backward.get(to);
    if (previous !== undefined && previous !== from) {
      throw new Error(`Path mapping conflict: both ${previous} and ${from} would move to ${to}`);
    }
    const earlier = this.forward.get(from);
    if (earlier !== undefined) this.backward.delete(earlier);
    if (from === to) {
      this.forward.delete(from);
    } else {
      this.forward.set(from, to);
      this.backward.set(to, from);
    }
    this.directoryIndex = undefined;
    return this;
  }

  get size(): number {
    return this.forward.size;
  }

  /** Where the file that was at `oldPath` is now (itself when it did not move). */
  oldToNew(oldPath: string): string {
    const path = normalizeWorkspacePath(oldPath);
    return this.forward.get(path) ?? path;
  }

  /** Where the file now at `newPath` was before (itself when it did not move). */
  newToOld(newPath: string): string {
    const path = normalizeWorkspacePath(newPath);
    return this.backward.get(path) ?? path;
  }

  /** True when the file at `oldPath` was moved. */
  hasOld(oldPath: string): boolean {
    return this.forward.has(normalizeWorkspacePath(oldPath));
  }

  /** True when a moved file now lives at `newPath`. */
  hasNew(newPath: string): boolean {
    return this.backward.has(normalizeWorkspacePath(newPath));
  }

  entries(): IterableIterator<[string, string]> {
    return this.forward.entries();
  }

  /**
   * The new location of an old directory, inferred from the moved files below it; undefined when no
   * moved file lies below it or when its files went to different places.
   */
  oldDirToNew(oldDir: string): string | undefined {
    const dir = normalizeWorkspacePath(oldDir);
    const index = this.buildDirectoryIndex();
    const mapped = index.get(dir);
    return mapped === null ? undefined : mapped;
  }

  /** old → this → next, for a move followed by renames. */
  compose(next: PathMapping): PathMapping {
    const composed = new PathMapping();
    for (const [oldPath, middle] of this.forward) composed.set(oldPath, next.oldToNew(middle));
    for (const [middle, newPath] of next.entries()) {
      if (!this.backward.has(middle) && !this.forward.has(middle)) composed.set(middle, newPath);
    }
    composed.projects = next.projects.length > 0 ? next.projects : this.projects;
    composed.originalFiles = { ...this.originalFiles, ...next.originalFiles };
    return composed;
  }

  toJSON(): PathMappingRecord {
    const files: Record<string, string> = {};
    for (const oldPath of [...this.forward.keys()].sort()) files[oldPath] = this.forward.get(oldPath) as string;
    const record: PathMappingRecord = { version: 1, files };
    if (this.projects.length > 0) record.projects = this.projects;
    if (Object.keys(this.originalFiles).length > 0) record.originalFiles = this.originalFiles;
    return record;
  }

  static fromJSON(record: PathMappingRecord): PathMapping {
    if (record.version !== 1 || typeof record.files !== 'object' || record.files === null) {
      throw new Error(
        `Unsupported path mapping record (version ${String(record.version)}): expected version 1 with a files object`,
      );
    }
    const mapping = new PathMapping(record.files);
    mapping.projects = record.projects ?? [];
    mapping.originalFiles = record.originalFiles ?? {};
    return mapping;
  }

  /**
   * Pairs each ancestor directory of a moved file with the matching ancestor of its new path. The
   * file's own folder always pairs (`src/core` → `libs/core/src`, `tests` → `src`); above it a pair
   * holds only while both the folder left behind and the folder reached are the same names modulo
   * renaming — past that point the layouts differ structurally (`worktrees` is not `libs/services`).
   */
  private buildDirectoryIndex(): Map<string, string | null> {
    if (this.directoryIndex) return this.directoryIndex;
    const index = new Map<string, string | null>();
    for (const [oldPath, newPath] of this.forward) {
      const from = oldPath.split('/');
      const to = newPath.split('/');
      for (let dropped = 1; dropped < Math.min(from.length, to.length); dropped++) {
        if (looseKey(from[from.length - dropped]) !== looseKey(to[to.length - dropped])) break;
        const oldDir = from.slice(0, from.length - dropped).join('/');
        const newDir = to.slice(0, to.length - dropped).join('/');
        if (dropped > 1 && looseKey(from[from.length - dropped - 1]) !== looseKey(to[to.length - dropped - 1])) break;
        const known = index.get(oldDir);
        if (known === undefined) index.set(oldDir, newDir);
        else if (known !== newDir) index.set(oldDir, null);
      }
    }
    this.directoryIndex = index;
    return index;
  }
}

/**
 * Moves every mapped file in the tree. All contents are read before anything is written, so swaps
 * (a → b, b → a) and case-only renames (Foo.ts → foo.ts) come out right. Files already moved (old
 * path absent, new path present) are left as they are, which keeps a re-run harmless.
 */
export function applyPathMapping(tree: Tree, mapping: PathMapping): void {
  const moves: Array<[string, string, Buffer]> = [];
  for (const [oldPath, newPath] of mapping.entries()) {
    const content = tree.read(oldPath);
    if (content !== null) moves.push([oldPath, newPath, content]);
  }
  for (const [oldPath] of moves) tree.delete(oldPath);
  for (const [, newPath, content] of moves) tree.write(newPath, content);
}

/** Reads a mapping recorded by {@link writePathMapping}; undefined when the file does not exist. */
export function readPathMapping(tree: Tree, path: string = DEFAULT_MAPPING_PATH): PathMapping | undefined {
  const text = tree.read(path, 'utf-8');
  if (text === null) return undefined;
  let record: PathMappingRecord;
  try {
    record = JSON.parse(text) as PathMappingRecord;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return PathMapping.fromJSON(record);
}

/** The recorded mapping at its current location, else at the legacy one; undefined when neither exists. */
export function findPathMapping(tree: Tree): { path: string; mapping: PathMapping } | undefined {
  for (const path of [DEFAULT_MAPPING_PATH, LEGACY_MAPPING_PATH]) {
    const mapping = readPathMapping(tree, path);
    if (mapping) return { path, mapping };
  }
  return undefined;
}

export function writePathMapping(tree: Tree, path: string, mapping: PathMapping): void {
  tree.write(path, JSON.stringify(mapping.toJSON(), null, 2) + '\n');
}
