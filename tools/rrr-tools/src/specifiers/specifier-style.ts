import { posix } from 'node:path';
import { isTypeScriptSource, jsExtensionFor, scriptExtensionOf, stripScriptExtension } from './script-files';
import { dotRelative, isRelativeSpecifier, relativeWorkspacePath, workspaceDirname } from './workspace-paths';

/** How the original author spelled a specifier, so the rewritten one reads the same way. */
export interface SpecifierStyle {
  /** Named a directory whose index file was the target (`./utils`, `@shared/utils`, `..`). */
  directory: boolean;
  /** `none`: extension dropped; `actual`: the target's real extension (`.json`, `.js` of a JS file); `js`: ESM-style `.js` for a TS source. */
  extension: 'none' | 'actual' | 'js';
  /** The JS extension as written (`.js`, `.mjs`, `.jsx`) for `js` style. */
  writtenExtension: string;
  trailingSlash: boolean;
  /** A path without `./` (`/// <reference path="x.d.ts" />`, tsconfig-style) stays without it. */
  bare: boolean;
}

function isIndexFile(path: string): boolean {
  return stripScriptExtension(posix.basename(path)) === 'index';
}

/**
 * Reads the style off the original specifier and the file it resolved to. `isFilePath` marks plain
 * file paths (`/// <reference path>`), where `x.d.ts` means `./x.d.ts`; in a module specifier it
 * would name a package, so module specifiers are never bare.
 */
export function specifierStyle(specifier: string, resolvedPath: string, isFilePath = false): SpecifierStyle {
  const trailingSlash = specifier.length > 1 && specifier.endsWith('/');
  const trimmed = trailingSlash ? specifier.replace(/\/+$/, '') : specifier;
  const lastSegment = trimmed.split('/').pop() ?? trimmed;
  const bare = isFilePath && !isRelativeSpecifier(specifier) && !specifier.startsWith('/');
  const namesIndex = stripScriptExtension(lastSegment) === 'index';
  const directory =
    isIndexFile(resolvedPath) && (lastSegment === '.' || lastSegment === '..' || trailingSlash || !namesIndex);

  const writtenExtension = lastSegment.endsWith('.json') ? '.json' : scriptExtensionOf(lastSegment);
  let extension: SpecifierStyle['extension'] = 'none';
  if (directory || writtenExtension === '') extension = 'none';
  else if (resolvedPath.endsWith(writtenExtension)) extension = 'actual';
  else if (/^\.[mc]?jsx?$/.test(writtenExtension) && isTypeScriptSource(resolvedPath)) extension = 'js';
  return { directory, extension, writtenExtension, trailingSlash, bare };
}

/** The relative specifier from `fromFile` to `targetFile` written in `style`. */
export function formatRelativeSpecifier(fromFile: string, targetFile: string, style: SpecifierStyle): string {
  const fromDir = workspaceDirname(fromFile);
  let relative: string;
  if (style.directory && isIndexFile(targetFile)) {
    relative = dotRelative(relativeWorkspacePath(fromDir, workspaceDirname(targetFile)));
    if (style.trailingSlash && !relative.endsWith('/')) relative += '/';
  } else {
    let target = targetFile;
    if (style.extension === 'none') target = stripScriptExtension(targetFile);
    else if (style.extension === 'js')
      target = stripScriptExtension(targetFile) + jsExtensionFor(targetFile, style.writtenExtension);
    relative = dotRelative(relativeWorkspacePath(fromDir, target));
  }
  if (style.bare && relative.startsWith('./')) relative = relative.slice(2);
  return relative;
}
