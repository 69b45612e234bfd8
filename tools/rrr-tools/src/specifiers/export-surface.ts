import * as ts from 'typescript';
import { scriptKindFor } from './script-files';

export interface ReExport {
  /** Name in the re-exporting module's source (`'*'` for `export * as ns`). */
  imported: string;
  /** Resolved workspace path of the source, undefined for a package or an unresolvable path. */
  from: string | undefined;
  typeOnly: boolean;
}

/** What a module exports, syntactically: enough to tell whether a barrel already re-exports a symbol. */
export interface ExportSurface {
  /** Names declared in the module itself, with whether they are types only. `default` included. */
  local: Map<string, 'type' | 'value'>;
  /** Exported name → where it comes from, for `export { a } from`, `export * as ns from` and `import { a }; export { a }`. */
  reexports: Map<string, ReExport>;
  /** `export * from` sources, in order (undefined when unresolved). */
  stars: Array<string | undefined>;
  /** Every module the file imports or re-exports: what loading it runs. */
  loads: Set<string>;
  /** How the file writes its specifiers, so added lines look like their neighbours. */
  quote: string;
  jsExtensions: boolean;
}

export interface ExportOrigin {
  file: string;
  name: string;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isBindingElement(element) ? bindingNames(element.name) : []));
}

/** Names a declaration introduces, with whether they exist only as types. */
function declaredNames(statement: ts.Statement): Array<[string, 'type' | 'value']> {
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
    return [[statement.name.text, 'type']];
  }
  if (
    (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
    statement.name
  ) {
    return [[statement.name.text, 'value']];
  }
  if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) return [[statement.name.text, 'value']];
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((declaration) =>
      bindingNames(declaration.name).map((name): [string, 'value'] => [name, 'value']),
    );
  }
  return [];
}

/**
 * Reads a module's export surface. `resolve` maps a specifier written in the file to a workspace path;
 * it decides which layout (old or new) the answer speaks of.
 */
export function analyzeExports(
  text: string,
  fileName: string,
  resolve: (specifier: string) => string | undefined,
): ExportSurface {
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindFor(fileName));
  const surface: ExportSurface = {
    local: new Map(),
    reexports: new Map(),
    stars: [],
    loads: new Set(),
    quote: "'",
    jsExtensions: false,
  };
  const imported = new Map<string, { from: string | undefined; imported: string; typeOnly: boolean }>();
  const declared = new Map<string, 'type' | 'value'>();
  let quoteSeen = false;

  const specifierOf = (literal: ts.Expression): string | undefined => {
    if (!ts.isStringLiteral(literal)) return undefined;
    if (!quoteSeen) {
      surface.quote = literal.getText(sourceFile).startsWith('"') ? '"' : "'";
      quoteSeen = true;
    }
    if (/^\.\.?\/.*\.js$/.test(literal.text)) surface.jsExtensions = true;
    const resolved = resolve(literal.text);
    if (resolved !== undefined) surface.loads.add(resolved);
    return resolved;
  };

  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = specifierOf(statement.moduleSpecifier);
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) imported.set(clause.name.text, { from, imported: 'default', typeOnly: clause.isTypeOnly });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) {
        imported.set(bindings.name.text, { from, imported: '*', typeOnly: clause.isTypeOnly });
      } else if (bindings) {
        for (const element of bindings.elements) {
          imported.set(element.name.text, {
            from,
            imported: (element.propertyName ?? element.name).text,
            typeOnly: clause.isTypeOnly || element.isTypeOnly,
          });
        }
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const from = specifierOf(statement.moduleReference.expression);
      imported.set(statement.name.text, { from, imported: '*', typeOnly: statement.isTypeOnly });
    } else if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (statement.moduleSpecifier) {
        const from = specifierOf(statement.moduleSpecifier);
        if (!clause) surface.stars.push(from);
        else if (ts.isNamespaceExport(clause)) {
          surface.reexports.set(clause.name.text, { imported: '*', from, typeOnly: statement.isTypeOnly });
        } else {
          for (const element of clause.elements) {
            surface.reexports.set(element.name.text, {
              imported: (element.propertyName ?? element.name).text,
              from,
              typeOnly: statement.isTypeOnly || element.isTypeOnly,
            });
          }
        }
      } else if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const localName = (element.propertyName ?? element.name).text;
          const binding = imported.get(localName);
          const typeOnly = statement.isTypeOnly || element.isTypeOnly;
          if (binding) {
            surface.reexports.set(element.name.text, {
              imported: binding.imported,
              from: binding.from,
              typeOnly: typeOnly || binding.typeOnly,
            });
          } else {
            surface.local.set(element.name.text, typeOnly ? 'type' : (declared.get(localName) ?? 'value'));
          }
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      if (!statement.isExportEquals) surface.local.set('default', 'value');
    } else {
      const names = declaredNames(statement);
      for (const [name, kind] of names) declared.set(name, kind);
      if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
        if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) surface.local.set('default', 'value');
        else for (const [name, kind] of names) surface.local.set(name, kind);
      }
    }
  }
  // `export { x }` may precede the declaration of x; re-read the kinds now that every declaration is known.
  for (const [name, kind] of surface.local) {
    if (kind === 'value' && declared.get(name) === 'type') surface.local.set(name, 'type');
  }
  return surface;
}

/**
 * Follows re-exports across files: where a name really comes from, whether a barrel exposes a file's
 * symbol, whether loading one module loads another. `load` supplies a file's surface (or undefined
 * when the file is not ours to read); surfaces are cached and may be extended with planned additions.
 */
export class ExportSurfaceIndex {
  private readonly cache = new Map<string, ExportSurface | null>();

  constructor(private readonly load: (path: string) => ExportSurface | undefined) {}

  surface(path: string): ExportSurface | undefined {
    let known = this.cache.get(path);
    if (known === undefined) {
      known = this.load(path) ?? null;
      this.cache.set(path, known);
    }
    return known ?? undefined;
  }

  /** The declaring file and name behind `name` as exported by `path`; undefined when `path` does not export it. */
  origin(path: string, name: string, visited = new Set<string>()): ExportOrigin | undefined {
    const key = `${path}#${name}`;
    if (visited.has(key)) return undefined;
    visited.add(key);
    const surface = this.surface(path);
    if (!surface) return undefined;
    if (surface.local.has(name)) return { file: path, name };
    const reexport = surface.reexports.get(name);
    if (reexport) {
      if (reexport.from === undefined) return { file: `unresolved:${path}`, name };
      if (reexport.imported === '*') return { file: reexport.from, name: '*' };
      return this.origin(reexport.from, reexport.imported, visited) ?? { file: reexport.from, name: reexport.imported };
    }
    if (name === 'default') return undefined;
    for (const star of surface.stars) {
      if (star === undefined) continue;
      const found = this.origin(star, name, visited);
      if (found) return found;
    }
    return undefined;
  }

  /** Every name `path` exports (default excluded) with its origin. */
  exportedNames(path: string, visited = new Set<string>()): Map<string, ExportOrigin> {
    const names = new Map<string, ExportOrigin>();
    if (visited.has(path)) return names;
    visited.add(path);
    const surface = this.surface(path);
    if (!surface) return names;
    for (const star of surface.stars) {
      if (star === undefined) continue;
      for (const [name, origin] of this.exportedNames(star, visited)) if (!names.has(name)) names.set(name, origin);
    }
    for (const name of [...surface.local.keys(), ...surface.reexports.keys()]) {
      if (name === 'default') continue;
      const origin = this.origin(path, name);
      if (origin) names.set(name, origin);
    }
    return names;
  }

  /** True when `name` exported by `path` exists only as a type (so a re-export must be `export type`). */
  isTypeExport(path: string, name: string, visited = new Set<string>()): boolean {
    const key = `${path}#${name}`;
    if (visited.has(key)) return false;
    visited.add(key);
    const surface = this.surface(path);
    if (!surface) return false;
    const local = surface.local.get(name);
    if (local) return local === 'type';
    const reexport = surface.reexports.get(name);
    if (reexport) {
      if (reexport.typeOnly) return true;
      return (
        reexport.from !== undefined &&
        reexport.imported !== '*' &&
        this.isTypeExport(reexport.from, reexport.imported, visited)
      );
    }
    for (const star of surface.stars) {
      if (star !== undefined && this.origin(star, name)) return this.isTypeExport(star, name, visited);
    }
    return false;
  }

  /** True when `barrel` re-exports everything of `target` through `export *` chains. */
  starReaches(barrel: string, target: string, visited = new Set<string>()): boolean {
    if (barrel === target) return true;
    if (visited.has(barrel)) return false;
    visited.add(barrel);
    const surface = this.surface(barrel);
    return (surface?.stars ?? []).some((star) => star !== undefined && this.starReaches(star, target, visited));
  }

  /** True when loading `from` loads `target` (imports and re-exports followed transitively). */
  reaches(from: string, target: string, visited = new Set<string>()): boolean {
    if (from === target) return true;
    if (visited.has(from)) return false;
    visited.add(from);
    const surface = this.surface(from);
    return [...(surface?.loads ?? [])].some((next) => this.reaches(next, target, visited));
  }
}
