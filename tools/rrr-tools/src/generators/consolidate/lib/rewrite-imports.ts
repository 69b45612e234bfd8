import { applyChangesToString, ChangeType, type StringChange, type Tree } from '@nx/devkit';
import { posix } from 'node:path';
import {
  collectSpecifiers,
  SPECIFIER_KINDS,
  type ModuleReference,
  type SpecifierKind,
  type SpecifierUsage,
} from '../../../specifiers/collect-specifiers';
import {
  analyzeExports,
  ExportSurfaceIndex,
  type ExportOrigin,
  type ExportSurface,
} from '../../../specifiers/export-surface';
import type { ResolveOriginal } from '../../../specifiers/module-resolver';
import type { PathMapping } from '../../../specifiers/path-mapping';
import { entryPathOf, projectOf, type ProjectInfo } from '../../../specifiers/project-info';
import { resolveRelativeInTree } from '../../../specifiers/resolve-in-tree';
import { isScriptFile, stripScriptExtension } from '../../../specifiers/script-files';
import { formatRelativeSpecifier, specifierStyle, type SpecifierStyle } from '../../../specifiers/specifier-style';
import { isRelativeSpecifier, normalizeWorkspacePath } from '../../../specifiers/workspace-paths';

export interface RewriteImportsOptions {
  /** Workspace paths of the files to rewrite, where they are in the tree NOW (after the moves). Non-script files are ignored. */
  files: string[];
  /** Old → new path of every moved file; unmoved files map to themselves. */
  mapping: PathMapping;
  /** Resolves a specifier as the file's ORIGINAL compiler options did, in the OLD layout (see createModuleResolver). */
  resolveOriginal: ResolveOriginal;
  /**
   * Resolves in the layout as it is NOW (e.g. createModuleResolver(treeFileSystem(tree), { fallbackTsconfig })).
   * When given, a specifier the original layout cannot place but the current one can is already
   * consolidated and is left alone silently — which makes a second run a no-op.
   */
  resolveCurrent?: ResolveOriginal;
  /** The projects of the NEW layout. */
  projects: ProjectInfo[];
  /** Add missing re-exports to a project's entry so `@scope/name` can replace a deep path. Default true. */
  addExports?: boolean;
  /** Limits the rewrite to some references (the migration only touches stale ones). */
  shouldRewrite?: (reference: ModuleReference, file: string) => boolean;
  /**
   * Only touch references whose file or target moved, leaving every other specifier exactly as
   * written (a rename inside one project must not restyle the rest of the workspace). Default false.
   */
  onlyMoved?: boolean;
}

export interface UnresolvedReference {
  file: string;
  line: number;
  column: number;
  specifier: string;
  kind: SpecifierKind;
  reason: string;
}

export interface ExportAdded {
  project: string;
  entry: string;
  target: string;
  /** Names re-exported, or `['*']` for `export *`. */
  names: string[];
  statement: string;
}

export interface NeedsExport {
  file: string;
  line: number;
  /** The specifier written instead (a deep relative path that still works). */
  specifier: string;
  kind: SpecifierKind;
  project: string;
  target: string;
  names: string[];
  reason: string;
}

export interface RewriteReport {
  filesScanned: number;
  filesChanged: string[];
  /** Rewritten specifiers by kind (a kind with none is 0). */
  rewritten: Record<SpecifierKind, number>;
  totalRewritten: number;
  unresolved: UnresolvedReference[];
  exportsAdded: ExportAdded[];
  needsExport: NeedsExport[];
}

/** These must name the exact module; the package entry is a different one. */
const DEEP_PATH_KINDS: ReadonlySet<SpecifierKind> = new Set(['require-resolve', 'module-augmentation']);

/** Mock calls: they may name the package entry instead when the entry stands for the mocked module. */
const MOCK_KINDS: ReadonlySet<SpecifierKind> = new Set(['jest-mock', 'vi-mock']);

/** The prefix of every mock reference left for a person to change, as the report lists it. */
export const MANUAL_MOCK_CHANGE = 'manual change needed';

interface PlannedExports {
  named: Map<string, boolean>;
  star: boolean;
}

type ExportPlan = { ok: true; planned: PlannedExports } | { ok: false; reason: string };

function sameOrigin(a: ExportOrigin, b: ExportOrigin): boolean {
  return a.file === b.file && a.name === b.name;
}

function emptyCounts(): Record<SpecifierKind, number> {
  return Object.fromEntries(SPECIFIER_KINDS.map((kind) => [kind, 0])) as Record<SpecifierKind, number>;
}

function describeUsage(usage: SpecifierUsage): string[] {
  const names = usage.names.map((name) => name.name);
  if (usage.default) names.unshift('default');
  if (usage.namespace) names.push('*');
  return names;
}

/**
 * Rewrites every module reference in `files` by resolution: each specifier is resolved as the file's
 * original compiler options resolved it (old layout), the target is carried through the mapping, and
 * a new specifier is written — relative inside a project, the target project's import path across
 * projects (re-exporting what the importer uses from the target's entry when it is missing). Edits
 * are made at the specifiers' offsets, so everything else in the file — formatting, comments, line
 * endings — is kept byte for byte.
 */
export function rewriteImports(tree: Tree, options: RewriteImportsOptions): RewriteReport {
  const { mapping, projects, resolveOriginal } = options;
  const addExports = options.addExports ?? true;
  const files = [...new Set(options.files.map(normalizeWorkspacePath))].filter(isScriptFile);
  const originals = new Map<string, string>();
  for (const file of files) {
    const text = tree.read(file, 'utf-8');
    if (text !== null) originals.set(file, text);
  }
  const entries = new Map(projects.map((project) => [entryPathOf(project), project]));

  const resolveFromNew = (specifier: string, file: string, kind?: SpecifierKind) =>
    resolveOriginal(specifier, mapping.newToOld(file), kind);

  const index = new ExportSurfaceIndex((path): ExportSurface | undefined => {
    if (!isScriptFile(path)) return undefined;
    const original = originals.get(path);
    if (original !== undefined) {
      // Not yet (or just) rewritten: the original text and resolution say what it re-exports.
      return analyzeExports(original, path, (specifier) => {
        const resolved = resolveFromNew(specifier, path);
        return typeof resolved === 'string' ? mapping.oldToNew(resolved) : undefined;
      });
    }
    const text = tree.read(path, 'utf-8');
    if (text === null) return entries.has(path) ? analyzeExports('', path, () => undefined) : undefined;
    return analyzeExports(text, path, (specifier) =>
      resolveRelativeInTree((candidate) => tree.isFile(candidate), path, specifier),
    );
  });

  const report: RewriteReport = {
    filesScanned: originals.size,
    filesChanged: [],
    rewritten: emptyCounts(),
    totalRewritten: 0,
    unresolved: [],
    exportsAdded: [],
    needsExport: [],
  };
  const pending = new Map<string, Map<string, PlannedExports>>();

  const planExports = (entry: string, target: string, usage: SpecifierUsage): ExportPlan => {
    const planned: PlannedExports = { named: new Map(), star: false };
    if (usage.default) {
      const fromEntry = index.origin(entry, 'default');
      const fromTarget = index.origin(target, 'default') ?? { file: target, name: 'default' };
      if (!fromEntry || !sameOrigin(fromEntry, fromTarget)) {
        return {
          ok: false,
          reason: `default import: ${entry} cannot re-export the default of ${target} under the same import`,
        };
      }
    }
    for (const { name, typeOnly } of usage.names) {
      const fromTarget = index.origin(target, name) ?? { file: target, name };
      const fromEntry = index.origin(entry, name);
      if (fromEntry && sameOrigin(fromEntry, fromTarget)) continue;
      if (fromEntry) {
        return { ok: false, reason: `name conflict: ${entry} already exports ${name} from ${fromEntry.file}` };
      }
      planned.named.set(name, typeOnly || index.isTypeExport(target, name));
    }
    if (usage.namespace && !index.starReaches(entry, target)) {
      for (const [name, fromTarget] of index.exportedNames(target)) {
        const fromEntry = index.origin(entry, name);
        if (!fromEntry) planned.star = true;
        else if (!sameOrigin(fromEntry, fromTarget)) {
          return {
            ok: false,
            reason: `name conflict: export * of ${target} would clash with ${name} that ${entry} exports from ${fromEntry.file}`,
          };
        }
      }
      if (index.exportedNames(target).size === 0) planned.star = true;
    }
    if (!usage.default && !usage.namespace && usage.names.length === 0 && !index.reaches(entry, target)) {
      return { ok: false, reason: `side-effect import: loading ${entry} does not load ${target}` };
    }
    return { ok: true, planned };
  };

  const commitExports = (entry: string, target: string, planned: PlannedExports) => {
    const surface = index.surface(entry);
    let byTarget = pending.get(entry);
    if (!byTarget) pending.set(entry, (byTarget = new Map()));
    const existing = byTarget.get(target) ?? { named: new Map<string, boolean>(), star: false };
    for (const [name, typeOnly] of planned.named) {
      existing.named.set(name, typeOnly);
      surface?.reexports.set(name, { imported: name, from: target, typeOnly });
    }
    if (planned.star && !existing.star) {
      existing.star = true;
      surface?.stars.push(target);
    }
    surface?.loads.add(target);
    byTarget.set(target, existing);
  };

  /**
   * Why mocking the entry would not stand for mocking `target`, or undefined when it does: the entry re-exports
   * every export of the target (same origin), so code that imports the package gets the mock — and a factory,
   * which replaces the whole entry, would not drop anything else the entry exports.
   */
  const mockThroughEntry = (
    entry: string,
    target: string,
    importPath: string,
    reference: ModuleReference,
  ): string | undefined => {
    const exported = index.exportedNames(target);
    const targetDefault = index.origin(target, 'default');
    if (targetDefault) exported.set('default', targetDefault);
    if (exported.size === 0) return `${entry} re-exports nothing of it`;
    const missing = [...exported]
      .filter(([name, origin]) => {
        const fromEntry = index.origin(entry, name);
        return !fromEntry || !sameOrigin(fromEntry, origin);
      })
      .map(([name]) => name);
    if (missing.length > 0) return `${entry} does not re-export ${missing.join(', ')}`;
    if (reference.factory) {
      const others = [...index.exportedNames(entry).keys()].filter((name) => !exported.has(name));
      if (others.length > 0) {
        return `its factory would replace all of ${importPath}, which also exports ${others.join(', ')}`;
      }
    }
    return undefined;
  };

  const newSpecifier = (file: string, reference: ModuleReference, oldTarget: string): string => {
    const newTarget = mapping.oldToNew(oldTarget);
    const isFilePath = reference.kind === 'reference-path';
    const style: SpecifierStyle = specifierStyle(reference.text, oldTarget, isFilePath);
    const relative = formatRelativeSpecifier(file, newTarget, style);
    const fileProject = projectOf(projects, file);
    const targetProject = projectOf(projects, newTarget);
    const unresolvedAt = (reason: string) =>
      report.unresolved.push({
        file,
        line: reference.line,
        column: reference.column,
        specifier: reference.text,
        kind: reference.kind,
        reason,
      });

    if (!targetProject) {
      if (fileProject)
        unresolvedAt(`outside any project: ${newTarget} belongs to no project (kept as a relative path)`);
      return relative;
    }
    if (fileProject?.name === targetProject.name || isFilePath) return relative;

    const entry = entryPathOf(targetProject);
    const needsExport = (reason: string) =>
      report.needsExport.push({
        file,
        line: reference.line,
        specifier: relative,
        kind: reference.kind,
        project: targetProject.name,
        target: newTarget,
        names: describeUsage(reference.usage),
        reason,
      });
    if (!targetProject.importPath) {
      needsExport(`project ${targetProject.name} has no import path`);
      return relative;
    }
    if (newTarget === entry) return targetProject.importPath;
    if (MOCK_KINDS.has(reference.kind)) {
      const refusal = mockThroughEntry(entry, newTarget, targetProject.importPath, reference);
      if (refusal === undefined) return targetProject.importPath;
      needsExport(
        `${MANUAL_MOCK_CHANGE}: ${reference.kind} of ${newTarget}, a file inside ${targetProject.importPath}, ` +
          `cannot become ${targetProject.importPath}: ${refusal}`,
      );
      return relative;
    }
    if (DEEP_PATH_KINDS.has(reference.kind)) {
      needsExport(
        `${reference.kind} needs the exact module ${newTarget}, which ${targetProject.importPath} does not stand for`,
      );
      return relative;
    }
    if (!isScriptFile(newTarget)) {
      needsExport(`${newTarget} is not a module ${entry} can re-export`);
      return relative;
    }
    const plan = planExports(entry, newTarget, reference.usage);
    if (!plan.ok) {
      needsExport(plan.reason);
      return relative;
    }
    if (plan.planned.named.size > 0 || plan.planned.star) {
      if (!addExports) {
        needsExport(`${entry} does not export ${describeUsage(reference.usage).join(', ')} of ${newTarget}`);
        return relative;
      }
      commitExports(entry, newTarget, plan.planned);
    }
    return targetProject.importPath;
  };

  for (const [file, text] of originals) {
    const changes: StringChange[] = [];
    for (const reference of collectSpecifiers(text, file)) {
      if (options.shouldRewrite && !options.shouldRewrite(reference, file)) continue;
      const query =
        reference.kind === 'reference-path' && !isRelativeSpecifier(reference.text) && !reference.text.startsWith('/')
          ? `./${reference.text}`
          : reference.text;
      const resolved = resolveFromNew(query, file, reference.kind);
      if (resolved === undefined) continue;
      if (typeof resolved !== 'string') {
        if (typeof options.resolveCurrent?.(query, file, reference.kind) === 'string') continue;
        report.unresolved.push({
          file,
          line: reference.line,
          column: reference.column,
          specifier: reference.text,
          kind: reference.kind,
          reason: `not found: ${resolved.unresolved}`,
        });
        continue;
      }
      const oldTarget = normalizeWorkspacePath(resolved);
      if (options.onlyMoved && !mapping.hasOld(oldTarget) && !mapping.hasNew(file)) continue;
      const next = newSpecifier(file, reference, oldTarget);
      if (next === reference.text) continue;
      changes.push(
        { type: ChangeType.Delete, start: reference.start, length: reference.end - reference.start },
        { type: ChangeType.Insert, index: reference.start, text: next },
      );
      report.rewritten[reference.kind]++;
      report.totalRewritten++;
    }
    if (changes.length > 0) {
      tree.write(file, applyChangesToString(text, changes));
      report.filesChanged.push(file);
    }
  }

  for (const [entry, byTarget] of pending) {
    const project = entries.get(entry) as ProjectInfo;
    const current = tree.read(entry, 'utf-8') ?? '';
    const surface = index.surface(entry);
    const eol = current.includes('\r\n') ? '\r\n' : '\n';
    const lines: string[] = [];
    for (const [target, planned] of byTarget) {
      const specifier = barrelSpecifier(entry, target, surface?.jsExtensions ?? false);
      const quoted = `${surface?.quote ?? "'"}${specifier}${surface?.quote ?? "'"}`;
      const add = (statement: string, names: string[]) => {
        lines.push(statement);
        report.exportsAdded.push({ project: project.name, entry, target, names, statement });
      };
      if (planned.star) add(`export * from ${quoted};`, ['*']);
      const values = [...planned.named].filter(([, typeOnly]) => !typeOnly).map(([name]) => name);
      const types = [...planned.named].filter(([, typeOnly]) => typeOnly).map(([name]) => name);
      if (values.length > 0) add(`export { ${values.join(', ')} } from ${quoted};`, values);
      if (types.length > 0) add(`export type { ${types.join(', ')} } from ${quoted};`, types);
    }
    const separator = current === '' || current.endsWith('\n') ? '' : eol;
    tree.write(entry, current + separator + lines.join(eol) + eol);
    if (!report.filesChanged.includes(entry)) report.filesChanged.push(entry);
  }
  return report;
}

/** How a barrel names one of its own files: `./dir` for an index, `./file` (or `./file.js` in ESM-style barrels). */
function barrelSpecifier(entry: string, target: string, jsExtensions: boolean): string {
  const isIndex = stripScriptExtension(posix.basename(target)) === 'index';
  return formatRelativeSpecifier(entry, target, {
    directory: isIndex,
    extension: jsExtensions ? 'js' : 'none',
    writtenExtension: '.js',
    trailingSlash: false,
    bare: false,
  });
}
