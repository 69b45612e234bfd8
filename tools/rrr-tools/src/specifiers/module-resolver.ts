import * as ts from 'typescript';
import type { SpecifierKind } from './collect-specifiers';
import { isRelativeSpecifier, joinWorkspacePath, normalizeWorkspacePath, workspaceDirname } from './workspace-paths';

/** The file-system view a resolver reads: workspace-relative posix paths. */
export interface ResolverFileSystem {
  fileExists(path: string): boolean;
  readFile(path: string): string | undefined;
  directoryExists(path: string): boolean;
}

/** A specifier that names a path (relative, or a tsconfig path alias) but leads to no file. */
export interface UnresolvedSpecifier {
  unresolved: string;
}

/**
 * Resolves a specifier written in the file at `containingPath` to the workspace path of the file it
 * names. `undefined` means "a package or builtin — not ours to rewrite"; `{ unresolved }` means it
 * names a path that does not exist. Custom resolvers may return just a path or undefined.
 */
export type ResolveOriginal = (
  specifier: string,
  containingPath: string,
  kind?: SpecifierKind,
) => string | UnresolvedSpecifier | undefined;

export interface ModuleResolverOptions {
  /** Config file names looked for from the containing file's directory upwards. Default `['tsconfig.json']`. */
  tsconfigNames?: string[];
  /** Used when no config file is found above a file (e.g. `tsconfig.base.json`). */
  fallbackTsconfig?: string;
  /** Picks the config for a file explicitly; return undefined to fall back to the search. */
  tsconfigFor?: (containingPath: string) => string | undefined;
  /** Merged over every parsed config (e.g. to force `allowJs`). */
  compilerOptions?: ts.CompilerOptions;
}

const VIRTUAL_ROOT = '/';

const DEFAULT_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  allowJs: true,
  resolveJsonModule: true,
};

/**
 * Code that ran under bundlers or Node rarely matches its tsconfig exactly (JSON imports without
 * `resolveJsonModule`, JS files without `allowJs`, `module: esnext` silently meaning classic
 * resolution): when the file's own options find nothing, a lenient pass with the same paths decides.
 */
function lenient(options: ts.CompilerOptions): ts.CompilerOptions {
  const modern =
    options.moduleResolution === ts.ModuleResolutionKind.Node16 ||
    options.moduleResolution === ts.ModuleResolutionKind.NodeNext ||
    options.moduleResolution === ts.ModuleResolutionKind.Bundler;
  return {
    ...options,
    allowJs: true,
    resolveJsonModule: true,
    moduleResolution: modern ? ts.ModuleResolutionKind.Bundler : ts.ModuleResolutionKind.Node10,
    module: modern ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
  };
}

function toVirtual(path: string): string {
  return VIRTUAL_ROOT + normalizeWorkspacePath(path);
}

function fromVirtual(path: string): string {
  return normalizeWorkspacePath(path.startsWith(VIRTUAL_ROOT) ? path.slice(VIRTUAL_ROOT.length) : path);
}

function resolutionModeFor(path: string): ts.ResolutionMode {
  if (/\.m[jt]s$/.test(path)) return ts.ModuleKind.ESNext;
  if (/\.c[jt]s$/.test(path)) return ts.ModuleKind.CommonJS;
  return undefined;
}

interface ParsedConfig {
  path: string | undefined;
  options: ts.CompilerOptions;
  lenientOptions: ts.CompilerOptions;
  cache: ts.ModuleResolutionCache;
  lenientCache: ts.ModuleResolutionCache;
}

/**
 * Builds a {@link ResolveOriginal} that resolves exactly as the TypeScript compiler would for the
 * file, with the compiler options of the nearest tsconfig (its `extends`, `baseUrl`, `paths`,
 * `moduleResolution`, `allowJs`, `resolveJsonModule`), reading everything through `fileSystem` —
 * typically a view of the workspace as it was before the files moved. The view is assumed not to
 * change while the resolver is in use: lookups are memoised.
 */
export function createModuleResolver(
  fileSystem: ResolverFileSystem,
  options: ModuleResolverOptions = {},
): ResolveOriginal {
  const fileCache = new Map<string, boolean>();
  const directoryCache = new Map<string, boolean>();
  const fileExists = (path: string): boolean => {
    let known = fileCache.get(path);
    if (known === undefined) {
      known = fileSystem.fileExists(path);
      fileCache.set(path, known);
    }
    return known;
  };
  const directoryExists = (path: string): boolean => {
    let known = directoryCache.get(path);
    if (known === undefined) {
      known = fileSystem.directoryExists(path);
      directoryCache.set(path, known);
    }
    return known;
  };

  const host: ts.ModuleResolutionHost & ts.ParseConfigHost = {
    useCaseSensitiveFileNames: true,
    fileExists: (path) => fileExists(fromVirtual(path)),
    readFile: (path) => fileSystem.readFile(fromVirtual(path)),
    directoryExists: (path) => directoryExists(fromVirtual(path)),
    getCurrentDirectory: () => VIRTUAL_ROOT,
    // Module resolution never needs the config's file list; an empty one only adds a diagnostic we ignore.
    readDirectory: () => [],
  };

  const names = options.tsconfigNames ?? ['tsconfig.json'];
  const configByDirectory = new Map<string, string | undefined>();
  const parsedByConfig = new Map<string | undefined, ParsedConfig>();

  const findConfig = (directory: string): string | undefined => {
    if (configByDirectory.has(directory)) return configByDirectory.get(directory);
    let found: string | undefined;
    for (const name of names) {
      const candidate = joinWorkspacePath(directory, name);
      if (fileExists(candidate)) {
        found = candidate;
        break;
      }
    }
    if (found === undefined && directory !== '') found = findConfig(workspaceDirname(directory));
    if (found === undefined && directory === '' && options.fallbackTsconfig && fileExists(options.fallbackTsconfig)) {
      found = normalizeWorkspacePath(options.fallbackTsconfig);
    }
    configByDirectory.set(directory, found);
    return found;
  };

  const parsedConfig = (configPath: string | undefined): ParsedConfig => {
    const known = parsedByConfig.get(configPath);
    if (known) return known;
    let compilerOptions: ts.CompilerOptions = { ...DEFAULT_OPTIONS };
    if (configPath !== undefined) {
      const virtualPath = toVirtual(configPath);
      const read = ts.readConfigFile(virtualPath, host.readFile);
      if (read.config) {
        const parsed = ts.parseJsonConfigFileContent(
          read.config,
          host,
          toVirtual(workspaceDirname(configPath)),
          undefined,
          virtualPath,
        );
        compilerOptions = parsed.options;
      }
    }
    compilerOptions = { ...compilerOptions, ...options.compilerOptions };
    const lenientOptions = lenient(compilerOptions);
    const parsed: ParsedConfig = {
      path: configPath,
      options: compilerOptions,
      lenientOptions,
      cache: ts.createModuleResolutionCache(VIRTUAL_ROOT, (name) => name, compilerOptions),
      lenientCache: ts.createModuleResolutionCache(VIRTUAL_ROOT, (name) => name, lenientOptions),
    };
    parsedByConfig.set(configPath, parsed);
    return parsed;
  };

  const configFor = (containingPath: string): ParsedConfig => {
    const explicit = options.tsconfigFor?.(containingPath);
    return parsedConfig(explicit ?? findConfig(workspaceDirname(containingPath)));
  };

  return (specifier, containingPath, kind) => {
    const containing = normalizeWorkspacePath(containingPath);
    if (kind === 'reference-path') return resolveReferencePath(specifier, containing, fileExists);

    const config = configFor(containing);
    const mode = resolutionModeFor(containing);
    const attempts: Array<[ts.CompilerOptions, ts.ModuleResolutionCache]> = [
      [config.options, config.cache],
      [config.lenientOptions, config.lenientCache],
    ];
    for (const [compilerOptions, cache] of attempts) {
      const { resolvedModule } = ts.resolveModuleName(
        specifier,
        toVirtual(containing),
        compilerOptions,
        host,
        cache,
        undefined,
        mode,
      );
      if (resolvedModule) {
        return resolvedModule.isExternalLibraryImport ? undefined : fromVirtual(resolvedModule.resolvedFileName);
      }
    }

    if (isRelativeSpecifier(specifier)) {
      const target = joinWorkspacePath(workspaceDirname(containing), specifier);
      // Node's require finds `./data` → data.json; TypeScript never does.
      if (fileExists(target + '.json')) return target + '.json';
      return { unresolved: `no file at ${target} (tried the TS/JS extensions and ${target}/index)` };
    }
    const alias = matchingPathAlias(specifier, config.options);
    if (alias !== undefined) {
      return {
        unresolved: `path alias "${alias}" of ${config.path ?? 'the compiler options'} matches but names no file`,
      };
    }
    return undefined;
  };
}

function resolveReferencePath(
  path: string,
  containing: string,
  fileExists: (path: string) => boolean,
): string | UnresolvedSpecifier {
  const target = joinWorkspacePath(workspaceDirname(containing), path);
  for (const candidate of [target, target + '.ts', target + '.d.ts']) {
    if (fileExists(candidate)) return candidate;
  }
  return { unresolved: `no file at ${target}` };
}

function matchingPathAlias(specifier: string, options: ts.CompilerOptions): string | undefined {
  for (const pattern of Object.keys(options.paths ?? {})) {
    // A catch-all `*` pattern maps every package; it says nothing about this specifier being a path.
    if (pattern === '*') continue;
    const star = pattern.indexOf('*');
    if (
      star < 0
        ? specifier === pattern
        : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1))
    ) {
      return pattern;
    }
  }
  return undefined;
}
