import * as ts from 'typescript';
import { scriptKindFor } from './script-files';

/**
 * Every syntactic place a module or file is referenced from TS/JS source. The consolidation counts
 * rewrites by these kinds, so each is a separate value even when two share a resolution rule.
 */
export type SpecifierKind =
  | 'import'
  | 'side-effect-import'
  | 'type-only-import'
  | 'json-import'
  | 'export-from'
  | 'dynamic-import'
  | 'require'
  | 'require-resolve'
  | 'import-equals'
  | 'type-query'
  | 'jest-mock'
  | 'vi-mock'
  | 'reference-path'
  | 'jsdoc-import'
  | 'module-augmentation';

export const SPECIFIER_KINDS: readonly SpecifierKind[] = [
  'import',
  'side-effect-import',
  'type-only-import',
  'json-import',
  'export-from',
  'dynamic-import',
  'require',
  'require-resolve',
  'import-equals',
  'type-query',
  'jest-mock',
  'vi-mock',
  'reference-path',
  'jsdoc-import',
  'module-augmentation',
];

export interface ImportedName {
  /** The name as the target module exports it (`b` in `import { b as c }`). */
  name: string;
  typeOnly: boolean;
}

/** What a reference needs from its target — decides whether a package entry can stand in for a deep path. */
export interface SpecifierUsage {
  names: ImportedName[];
  /** Uses the target's default export. */
  default: boolean;
  /** Uses the whole module object (namespace import, `export *`, `typeof import()`, a bare `require` value…). */
  namespace: boolean;
  /** Every use is in a type position, so a re-export may be `export type`. */
  typeOnly: boolean;
}

export interface ModuleReference {
  kind: SpecifierKind;
  /** The specifier's value (escapes resolved). */
  text: string;
  /** Offsets of the literal's content, quotes excluded: replacing [start, end) replaces the specifier. */
  start: number;
  end: number;
  /** 1-based line and column of the specifier's first character. */
  line: number;
  column: number;
  /** `mock`, `requireActual`, `importActual`… for jest/vi calls. */
  method?: string;
  /** A jest/vi call given a module factory or value after the path (`jest.mock(path, () => ({ … }))`). */
  factory?: boolean;
  usage: SpecifierUsage;
}

const JEST_METHODS = new Set([
  'mock',
  'doMock',
  'unmock',
  'dontMock',
  'requireActual',
  'requireMock',
  'createMockFromModule',
  'setMock',
]);
const VI_METHODS = new Set(['mock', 'doMock', 'unmock', 'doUnmock', 'importActual', 'importMock']);

type StringLike = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral;

function emptyUsage(): SpecifierUsage {
  return { names: [], default: false, namespace: false, typeOnly: false };
}

function wholeModule(typeOnly = false): SpecifierUsage {
  return { names: [], default: false, namespace: true, typeOnly };
}

function isStringLike(node: ts.Node | undefined): node is StringLike {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));
}

/**
 * Lists every module reference in a source file with the exact offsets of its specifier's content.
 * Strings and comments that merely look like imports are not references, so they never appear here:
 * the walk only looks at the syntax positions that TypeScript itself treats as module names.
 */
export function collectSpecifiers(text: string, fileName: string): ModuleReference[] {
  const sourceFile = ts.createSourceFile(
    fileName,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseAll },
    true,
    scriptKindFor(fileName),
  );
  const references: ModuleReference[] = [];
  const seen = new Set<number>();

  const position = (offset: number) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(offset);
    return { line: line + 1, column: character + 1 };
  };

  const add = (kind: SpecifierKind, literal: StringLike, usage: SpecifierUsage, method?: string, factory?: boolean) => {
    const start = literal.getStart(sourceFile) + 1;
    if (seen.has(start)) return;
    seen.add(start);
    references.push({
      kind,
      text: literal.text,
      start,
      end: literal.end - 1,
      ...position(start),
      usage,
      method,
      ...(factory ? { factory } : {}),
    });
  };

  for (const reference of sourceFile.referencedFiles) {
    if (seen.has(reference.pos)) continue;
    seen.add(reference.pos);
    references.push({
      kind: 'reference-path',
      text: reference.fileName,
      start: reference.pos,
      end: reference.end,
      ...position(reference.pos),
      usage: emptyUsage(),
    });
  }

  const visit = (node: ts.Node, inJsDoc: boolean): void => {
    inspect(node, inJsDoc);
    const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
    if (docs) for (const doc of docs) visit(doc, true);
    ts.forEachChild(node, (child) => visit(child, inJsDoc || ts.isJSDoc(node)));
  };

  const inspect = (node: ts.Node, inJsDoc: boolean): void => {
    if (ts.isImportDeclaration(node) && isStringLike(node.moduleSpecifier)) {
      add(importKind(node), node.moduleSpecifier, importUsage(node.importClause));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && isStringLike(node.moduleSpecifier)) {
      add('export-from', node.moduleSpecifier, exportUsage(node));
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      isStringLike(node.moduleReference.expression)
    ) {
      add('import-equals', node.moduleReference.expression, wholeModule(node.isTypeOnly));
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && isStringLike(argument.literal)) {
        add(inJsDoc ? 'jsdoc-import' : 'type-query', argument.literal, importTypeUsage(node));
      }
    } else if (ts.isCallExpression(node)) {
      inspectCall(node);
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name) && isAugmentation(node)) {
      add('module-augmentation', node.name, wholeModule(true));
    }
  };

  const inspectCall = (call: ts.CallExpression): void => {
    const [first] = call.arguments;
    if (!isStringLike(first)) return;
    const callee = call.expression;
    if (callee.kind === ts.SyntaxKind.ImportKeyword) {
      add('dynamic-import', first, dynamicImportUsage(call));
    } else if (ts.isIdentifier(callee) && callee.text === 'require') {
      add('require', first, requireUsage(call));
    } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
      const object = callee.expression.text;
      const method = callee.name.text;
      if (object === 'require' && method === 'resolve') add('require-resolve', first, emptyUsage());
      else if (object === 'jest' && JEST_METHODS.has(method))
        add('jest-mock', first, wholeModule(), method, call.arguments.length > 1);
      else if (object === 'vi' && VI_METHODS.has(method))
        add('vi-mock', first, wholeModule(), method, call.arguments.length > 1);
    }
  };

  visit(sourceFile, false);
  return references.sort((a, b) => a.start - b.start);
}

function importKind(node: ts.ImportDeclaration): SpecifierKind {
  const clause = node.importClause;
  if (!clause) return 'side-effect-import';
  if (clause.isTypeOnly) return 'type-only-import';
  if ((node.moduleSpecifier as StringLike).text.endsWith('.json')) return 'json-import';
  return 'import';
}

function importUsage(clause: ts.ImportClause | undefined): SpecifierUsage {
  const usage = emptyUsage();
  if (!clause) return usage;
  usage.typeOnly = clause.isTypeOnly;
  if (clause.name) usage.default = true;
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) usage.namespace = true;
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) {
      const imported = (element.propertyName ?? element.name).text;
      const typeOnly = clause.isTypeOnly || element.isTypeOnly;
      if (imported === 'default') usage.default = true;
      else usage.names.push({ name: imported, typeOnly });
    }
    if (!clause.name && bindings.elements.length > 0) {
      usage.typeOnly = clause.isTypeOnly || bindings.elements.every((element) => element.isTypeOnly);
    }
  }
  return usage;
}

function exportUsage(node: ts.ExportDeclaration): SpecifierUsage {
  const usage = emptyUsage();
  usage.typeOnly = node.isTypeOnly;
  const clause = node.exportClause;
  if (!clause || ts.isNamespaceExport(clause)) {
    usage.namespace = true;
    return usage;
  }
  for (const element of clause.elements) {
    const imported = (element.propertyName ?? element.name).text;
    if (imported === 'default') usage.default = true;
    else usage.names.push({ name: imported, typeOnly: node.isTypeOnly || element.isTypeOnly });
  }
  return usage;
}

function importTypeUsage(node: ts.ImportTypeNode): SpecifierUsage {
  if (node.isTypeOf || !node.qualifier) return wholeModule(true);
  const first = ts.isIdentifier(node.qualifier) ? node.qualifier : leftmost(node.qualifier);
  if (first.text === 'default') return { names: [], default: true, namespace: false, typeOnly: true };
  return { names: [{ name: first.text, typeOnly: true }], default: false, namespace: false, typeOnly: true };
}

function leftmost(name: ts.QualifiedName): ts.Identifier {
  let current: ts.EntityName = name;
  while (ts.isQualifiedName(current)) current = current.left;
  return current;
}

/** `const { a, b } = require('x')` uses a and b; `require('x').a` uses a; `const x = require('x')` uses it all. */
function requireUsage(call: ts.CallExpression): SpecifierUsage {
  const parent = call.parent;
  if (ts.isExpressionStatement(parent)) return emptyUsage();
  if (ts.isPropertyAccessExpression(parent) && parent.expression === call) {
    return namedUsage([parent.name.text]);
  }
  if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) {
    return bindingUsage(parent.name) ?? wholeModule();
  }
  return wholeModule();
}

/** `const { a } = await import('x')` and `(await import('x')).a` use a; anything else may touch any export. */
function dynamicImportUsage(call: ts.CallExpression): SpecifierUsage {
  const parent = call.parent;
  if (ts.isAwaitExpression(parent)) {
    const holder = parent.parent;
    if (ts.isVariableDeclaration(holder) && ts.isObjectBindingPattern(holder.name)) {
      return bindingUsage(holder.name) ?? wholeModule();
    }
    const outer = holder.parent;
    if (ts.isParenthesizedExpression(holder) && ts.isPropertyAccessExpression(outer) && outer.expression === holder) {
      return namedUsage([outer.name.text]);
    }
  }
  return wholeModule();
}

function bindingUsage(pattern: ts.ObjectBindingPattern): SpecifierUsage | undefined {
  const names: string[] = [];
  for (const element of pattern.elements) {
    if (element.dotDotDotToken) return undefined;
    const key = element.propertyName ?? element.name;
    if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
    names.push(key.text);
  }
  return namedUsage(names);
}

function namedUsage(names: string[]): SpecifierUsage {
  const usage = emptyUsage();
  for (const name of names) {
    if (name === 'default') usage.default = true;
    else usage.names.push({ name, typeOnly: false });
  }
  return usage;
}

/**
 * `declare module './x' {}` inside a module augments that module; the same syntax at the top of a
 * script declares an ambient module by name, which names a package, not a path.
 */
function isAugmentation(node: ts.ModuleDeclaration): boolean {
  const sourceFile = node.getSourceFile();
  return ts.isExternalModule(sourceFile) && ts.isSourceFile(node.parent);
}
