import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

export interface TypecheckProblem {
  /** Path relative to the root (or the compiler's text when the diagnostic has no file). */
  file: string;
  line: number;
  message: string;
  code: number;
}

export interface TypecheckResult {
  /** tsconfig files checked (relative to the root). */
  configs: string[];
  problems: TypecheckProblem[];
  durationMs: number;
}

/**
 * `tsc --noEmit -p <config>` for each config, in one process: source files (lib.d.ts, @types, the libraries
 * every project imports) are parsed once and shared between the programs, and each program checks only its
 * own files (every library is checked by its own configs), which is what makes checking a dozen projects take
 * seconds rather than a dozen compiler start-ups each re-checking its dependencies.
 */
export function typecheckProjects(root: string, configs: readonly string[]): TypecheckResult {
  const started = Date.now();
  const cache = new Map<string, ts.SourceFile | undefined>();
  const fileExists = new Map<string, boolean>();
  const directoryExists = new Map<string, boolean>();
  const resolutionCaches = new Map<string, ts.ModuleResolutionCache>();
  const memo = (known: Map<string, boolean>, path: string, probe: (path: string) => boolean): boolean => {
    let answer = known.get(path);
    if (answer === undefined) {
      answer = probe(path);
      known.set(path, answer);
    }
    return answer;
  };
  const problems: TypecheckProblem[] = [];
  const checked: string[] = [];
  const seen = new Set<string>();
  for (const config of configs) {
    const path = join(root, config);
    if (!existsSync(path)) continue;
    checked.push(config);
    const parsed = ts.getParsedCommandLineOfConfigFile(
      path,
      { noEmit: true },
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          problems.push({
            file: config,
            line: 0,
            message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
            code: diagnostic.code,
          });
        },
      },
    );
    if (!parsed) continue;
    const host = ts.createCompilerHost(parsed.options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const key = `${typeof languageVersion === 'object' ? languageVersion.languageVersion : languageVersion}:${fileName}`;
      if (!cache.has(key)) cache.set(key, getSourceFile(fileName, languageVersion, onError, shouldCreate));
      return cache.get(key);
    };
    // The disk does not change while we check: one stat per path for all programs.
    host.fileExists = (file) => memo(fileExists, file, ts.sys.fileExists);
    host.directoryExists = (dir) => memo(directoryExists, dir, (d) => ts.sys.directoryExists(d));
    // Configs sharing resolution options (all that extend one base) share one module resolution cache.
    const resolutionKey = JSON.stringify([
      parsed.options.moduleResolution,
      parsed.options.module,
      parsed.options.baseUrl,
      parsed.options.paths,
      parsed.options.rootDirs,
      parsed.options.allowJs,
      parsed.options.resolveJsonModule,
    ]);
    let resolutionCache = resolutionCaches.get(resolutionKey);
    if (!resolutionCache) {
      resolutionCache = ts.createModuleResolutionCache(root, (file) => host.getCanonicalFileName(file), parsed.options);
      resolutionCaches.set(resolutionKey, resolutionCache);
    }
    const sharedCache = resolutionCache;
    host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, options, containingSourceFile) =>
      literals.map((literal) =>
        ts.resolveModuleName(
          literal.text,
          containingFile,
          options,
          host,
          sharedCache,
          redirectedReference,
          ts.getModeForUsageLocation(containingSourceFile, literal, options),
        ),
      );
    const program = ts.createProgram({
      rootNames: parsed.fileNames,
      options: parsed.options,
      projectReferences: parsed.projectReferences,
      host,
      configFileParsingDiagnostics: parsed.errors,
    });
    // Only the config's own files: a library another one imports is checked by its own configs, and checking
    // it again in every importer's program is most of what tsc -p per project spends its time on.
    const own = new Set(parsed.fileNames.map((file) => host.getCanonicalFileName(resolve(file))));
    const diagnostics = [
      ...parsed.errors,
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program
        .getSourceFiles()
        .filter((file) => own.has(host.getCanonicalFileName(resolve(file.fileName))))
        .flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
    ];
    for (const diagnostic of diagnostics) {
      if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      let file = config;
      let line = 0;
      if (diagnostic.file && diagnostic.start !== undefined) {
        file = relative(root, diagnostic.file.fileName).split('\\').join('/');
        line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
      }
      // A library imported by several projects reports the same error in each program: once is enough.
      const key = `${file}:${line}:${diagnostic.code}:${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ file, line, message, code: diagnostic.code });
    }
  }
  return { configs: checked, problems, durationMs: Date.now() - started };
}
