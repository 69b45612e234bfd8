import { applyChangesToString, ChangeType, type StringChange, type Tree } from '@nx/devkit';
import { posix } from 'node:path';
import * as ts from 'typescript';
import { originalTreeFileSystem } from '../../../specifiers/file-systems';
import { findMarkdownLinks } from '../../../specifiers/markdown-links';
import type { ResolverFileSystem } from '../../../specifiers/module-resolver';
import type { PathMapping } from '../../../specifiers/path-mapping';
import { scriptKindFor } from '../../../specifiers/script-files';
import {
  dotRelative,
  joinWorkspacePath,
  normalizeWorkspacePath,
  relativeWorkspacePath,
  workspaceDirname,
} from '../../../specifiers/workspace-paths';

export type ReferenceKind =
  | 'tsconfig-extends'
  | 'tsconfig-paths'
  | 'tsconfig-references'
  | 'tsconfig-files'
  | 'tsconfig-compiler-option'
  | 'jest-config'
  | 'package-json'
  | 'markdown-link';

export const REFERENCE_KINDS: readonly ReferenceKind[] = [
  'tsconfig-extends',
  'tsconfig-paths',
  'tsconfig-references',
  'tsconfig-files',
  'tsconfig-compiler-option',
  'jest-config',
  'package-json',
  'markdown-link',
];

export interface ReferenceUpdate {
  file: string;
  line: number;
  kind: ReferenceKind;
  from: string;
  to: string;
}

export interface ReferencesReport {
  filesChanged: string[];
  updated: ReferenceUpdate[];
  byKind: Record<ReferenceKind, number>;
}

export interface UpdateReferencesOptions {
  /** Files to examine, where they are in the tree now; only tsconfig*.json, package.json, jest configs and markdown are read. */
  files: string[];
  mapping: PathMapping;
  /** The layout before the moves (default: the tree seen through the mapping). */
  originalFileSystem?: ResolverFileSystem;
}

const COMPILER_PATH_OPTIONS = ['rootDir', 'outDir', 'declarationDir', 'tsBuildInfoFile'];
const PACKAGE_FIELDS = ['main', 'module', 'types', 'typings', 'browser', 'bin', 'exports'];
/** Characters that end the literal part of a glob or of a jest regex substitution (`<rootDir>/src/$1`). */
const PATTERN_CHARACTERS = /[*?[\]{}()!$^|+\\]/;

interface Edit {
  start: number;
  end: number;
  kind: ReferenceKind;
  from: string;
  to: string;
  /** JSON strings need their content escaped; JS string literals we only touch when no escaping is needed. */
  json: boolean;
}

/**
 * Carries path references in configuration and documentation through the same mapping as the code:
 * tsconfig `extends`/`paths`/`references`/`files`/`include`/`exclude` and path options, path strings
 * in jest configs, package.json entry fields, and relative links in markdown. Each value is resolved
 * from where its file was, carried through the mapping, and written relative to where its file is
 * now — edited at its offsets so comments and layout survive. A value whose target cannot be placed
 * (build output that does not exist yet, a package) is kept as written: it moved with its file.
 */
export function updateReferences(tree: Tree, options: UpdateReferencesOptions): ReferencesReport {
  const { mapping } = options;
  const original = options.originalFileSystem ?? originalTreeFileSystem(tree, mapping);
  const report: ReferencesReport = {
    filesChanged: [],
    updated: [],
    byKind: Object.fromEntries(REFERENCE_KINDS.map((kind) => [kind, 0])) as Record<ReferenceKind, number>,
  };

  /** New workspace path for an old one, or undefined when the old layout had nothing there we can place. */
  const carry = (oldTarget: string): string | undefined => {
    if (oldTarget.startsWith('../') || oldTarget === '..') return undefined;
    if (mapping.hasOld(oldTarget)) return mapping.oldToNew(oldTarget);
    const movedDirectory = mapping.oldDirToNew(oldTarget);
    if (movedDirectory !== undefined) return movedDirectory;
    if (original.fileExists(oldTarget) || original.directoryExists(oldTarget)) return oldTarget;
    return undefined;
  };

  /** Rewrites a path (or glob, or `<rootDir>` pattern) written relative to `oldBase`, now relative to `newBase`. */
  const remap = (value: string, oldBase: string, newBase: string): string | undefined => {
    let prefix = '';
    let body = value;
    if (body.startsWith('<rootDir>')) {
      prefix = '<rootDir>';
      body = body.slice('<rootDir>'.length).replace(/^\//, '');
      if (body === '') return undefined;
    }
    const [pathPart, suffix] = splitSuffix(body);
    const patternAt = pathPart.search(PATTERN_CHARACTERS);
    const literal = patternAt < 0 ? pathPart : pathPart.slice(0, pathPart.lastIndexOf('/', patternAt) + 1);
    const tail = pathPart.slice(literal.length);
    const literalPath = literal.replace(/\/$/, '');
    if (literalPath === '' || literalPath === '.' || posix.isAbsolute(literalPath)) return undefined;
    const newTarget = carry(joinWorkspacePath(oldBase, literalPath));
    if (newTarget === undefined) return undefined;
    let relative = relativeWorkspacePath(newBase, newTarget);
    const dotted = literalPath.startsWith('./') || literalPath.startsWith('../');
    if (dotted || prefix) relative = prefix ? relative || '.' : dotRelative(relative);
    else if (relative === '') relative = '.';
    const joined = prefix ? `${prefix}/${relative}` : relative;
    const rebuilt = (literal.endsWith('/') ? `${joined}/` : joined) + tail + suffix;
    return rebuilt === value ? undefined : rebuilt;
  };

  for (const file of [...new Set(options.files.map(normalizeWorkspacePath))]) {
    const text = tree.read(file, 'utf-8');
    if (text === null) continue;
    const name = posix.basename(file);
    const oldBase = workspaceDirname(mapping.newToOld(file));
    const newBase = workspaceDirname(file);
    let edits: Edit[] = [];
    if (/^tsconfig.*\.json$/.test(name)) edits = tsconfigEdits(text, file, oldBase, newBase, remap);
    else if (name === 'package.json') edits = packageJsonEdits(text, file, oldBase, newBase, remap);
    else if (/^jest\.config\.[cm]?[jt]s$/.test(name)) edits = jestConfigEdits(text, file, oldBase, newBase, remap);
    else if (/\.(md|markdown)$/i.test(name)) edits = markdownEdits(text, oldBase, newBase, remap);
    if (edits.length === 0) continue;

    const changes: StringChange[] = [];
    for (const edit of edits) {
      const written = edit.json ? JSON.stringify(edit.to).slice(1, -1) : edit.to;
      changes.push(
        { type: ChangeType.Delete, start: edit.start, length: edit.end - edit.start },
        { type: ChangeType.Insert, index: edit.start, text: written },
      );
      report.updated.push({ file, line: lineOf(text, edit.start), kind: edit.kind, from: edit.from, to: edit.to });
      report.byKind[edit.kind]++;
    }
    tree.write(file, applyChangesToString(text, changes));
    report.filesChanged.push(file);
  }
  return report;
}

type Remap = (value: string, oldBase: string, newBase: string) => string | undefined;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** `path#anchor` / `path?query` → [path, '#anchor']. */
function splitSuffix(value: string): [string, string] {
  const at = value.search(/[#?]/);
  return at < 0 ? [value, ''] : [value.slice(0, at), value.slice(at)];
}

function properties(node: ts.Node | undefined): Map<string, ts.Expression> {
  const result = new Map<string, ts.Expression>();
  if (!node || !ts.isObjectLiteralExpression(node)) return result;
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isStringLiteral(property.name) || ts.isIdentifier(property.name))) {
      result.set(property.name.text, property.initializer);
    }
  }
  return result;
}

function parseJson(text: string, file: string): { source: ts.JsonSourceFile; root: Map<string, ts.Expression> } {
  const source = ts.parseJsonText(file, text);
  return { source, root: properties(source.statements[0]?.expression) };
}

function stringEdit(
  source: ts.SourceFile,
  node: ts.Expression | undefined,
  kind: ReferenceKind,
  oldBase: string,
  newBase: string,
  remap: Remap,
  json = true,
): Edit[] {
  if (!node || !ts.isStringLiteral(node)) return [];
  const to = remap(node.text, oldBase, newBase);
  if (to === undefined) return [];
  const start = node.getStart(source) + 1;
  return [{ start, end: node.end - 1, kind, from: node.text, to, json }];
}

function stringsIn(node: ts.Expression | undefined): ts.StringLiteral[] {
  if (!node) return [];
  if (ts.isStringLiteral(node)) return [node];
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((element) => stringsIn(element));
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.flatMap((property) =>
      ts.isPropertyAssignment(property) ? stringsIn(property.initializer) : [],
    );
  }
  return [];
}

function tsconfigEdits(text: string, file: string, oldBase: string, newBase: string, remap: Remap): Edit[] {
  const { source, root } = parseJson(text, file);
  const edits: Edit[] = [];
  const relativeOnly: Remap = (value, from, to) => (value.startsWith('.') ? remap(value, from, to) : undefined);
  for (const node of stringsIn(root.get('extends')))
    edits.push(...stringEdit(source, node, 'tsconfig-extends', oldBase, newBase, relativeOnly));
  for (const key of ['files', 'include', 'exclude']) {
    for (const node of stringsIn(root.get(key)))
      edits.push(...stringEdit(source, node, 'tsconfig-files', oldBase, newBase, remap));
  }
  const references = root.get('references');
  if (references && ts.isArrayLiteralExpression(references)) {
    for (const reference of references.elements) {
      edits.push(
        ...stringEdit(source, properties(reference).get('path'), 'tsconfig-references', oldBase, newBase, remap),
      );
    }
  }
  const compilerOptions = properties(root.get('compilerOptions'));
  for (const key of COMPILER_PATH_OPTIONS) {
    edits.push(...stringEdit(source, compilerOptions.get(key), 'tsconfig-compiler-option', oldBase, newBase, remap));
  }
  for (const node of stringsIn(compilerOptions.get('typeRoots'))) {
    edits.push(...stringEdit(source, node, 'tsconfig-compiler-option', oldBase, newBase, remap));
  }
  // `paths` are relative to baseUrl when there is one; baseUrl itself may have moved.
  const baseUrlNode = compilerOptions.get('baseUrl');
  let oldPathsBase = oldBase;
  let newPathsBase = newBase;
  if (baseUrlNode && ts.isStringLiteral(baseUrlNode)) {
    const baseEdit = stringEdit(source, baseUrlNode, 'tsconfig-compiler-option', oldBase, newBase, remap);
    edits.push(...baseEdit);
    oldPathsBase = joinWorkspacePath(oldBase, baseUrlNode.text);
    newPathsBase = joinWorkspacePath(newBase, baseEdit[0]?.to ?? baseUrlNode.text);
  }
  const paths = compilerOptions.get('paths');
  if (paths && ts.isObjectLiteralExpression(paths)) {
    for (const node of stringsIn(paths)) {
      const relative: Remap = (value) =>
        remap(value.startsWith('.') ? value : `./${value}`, oldPathsBase, newPathsBase);
      const edit = stringEdit(source, node, 'tsconfig-paths', oldPathsBase, newPathsBase, relative);
      // Keep the author's bare style (`src/*`) when the original had no `./`.
      for (const change of edit) {
        if (!node.text.startsWith('.') && change.to.startsWith('./')) change.to = change.to.slice(2);
        if (change.to !== change.from) edits.push(change);
      }
    }
  }
  return edits;
}

function packageJsonEdits(text: string, file: string, oldBase: string, newBase: string, remap: Remap): Edit[] {
  const { source, root } = parseJson(text, file);
  const edits: Edit[] = [];
  const pathLike: Remap = (value, from, to) =>
    /^[a-z][a-z0-9+.-]*:/i.test(value) ? undefined : remap(value.startsWith('.') ? value : `./${value}`, from, to);
  for (const field of PACKAGE_FIELDS) {
    for (const node of stringsIn(root.get(field))) {
      for (const change of stringEdit(source, node, 'package-json', oldBase, newBase, pathLike)) {
        if (!node.text.startsWith('.') && change.to.startsWith('./')) change.to = change.to.slice(2);
        if (change.to !== change.from) edits.push(change);
      }
    }
  }
  return edits;
}

/** A string literal that names a module is the import rewriter's; property names are keys, not paths. */
function isModuleSpecifierOrKey(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent))
    return true;
  if (ts.isCallExpression(parent) && parent.arguments[0] === node) {
    const callee = parent.expression;
    if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
    if (ts.isIdentifier(callee) && callee.text === 'require') return true;
    if (
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'require'
    )
      return true;
  }
  return ts.isPropertyAssignment(parent) && parent.name === node;
}

function jestConfigEdits(text: string, file: string, oldBase: string, newBase: string, remap: Remap): Edit[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindFor(file));
  const edits: Edit[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && !isModuleSpecifierOrKey(node)) {
      const value = node.text;
      const raw = text.slice(node.getStart(source) + 1, node.end - 1);
      // Only plain literals (no escapes) are edited, so offsets and value agree character for character.
      if (raw === value && (value.startsWith('./') || value.startsWith('../') || value.startsWith('<rootDir>'))) {
        const to = remap(value, oldBase, newBase);
        if (to !== undefined)
          edits.push({
            start: node.getStart(source) + 1,
            end: node.end - 1,
            kind: 'jest-config',
            from: value,
            to,
            json: false,
          });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edits;
}

function markdownEdits(text: string, oldBase: string, newBase: string, remap: Remap): Edit[] {
  const edits: Edit[] = [];
  for (const link of findMarkdownLinks(text)) {
    const destination = link.destination;
    if (destination === '' || /^([a-z][a-z0-9+.-]*:|#|\/)/i.test(destination)) continue;
    const encoded = destination.includes('%');
    let decoded: string;
    try {
      decoded = encoded ? decodeURI(destination) : destination;
    } catch {
      continue;
    }
    const [path] = splitSuffix(decoded);
    if (PATTERN_CHARACTERS.test(path)) continue;
    const to = remap(decoded.startsWith('.') ? decoded : `./${decoded}`, oldBase, newBase);
    if (to === undefined) continue;
    let written = !decoded.startsWith('.') && to.startsWith('./') ? to.slice(2) : to;
    if (encoded || /\s/.test(written)) written = encodeURI(written);
    if (written !== destination) {
      edits.push({
        start: link.start,
        end: link.end,
        kind: 'markdown-link',
        from: destination,
        to: written,
        json: false,
      });
    }
  }
  return edits;
}
