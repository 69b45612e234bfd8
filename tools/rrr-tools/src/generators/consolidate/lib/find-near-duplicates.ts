import { posix } from 'node:path';
import * as ts from 'typescript';
import { scriptKindFor, stripScriptExtension } from '../../../specifiers/script-files';
import { splitWords } from './normalize-names';

export interface NearDuplicateMember {
  path: string;
  tokens: number;
}

export interface NearDuplicateGroup {
  /** The name the members share once version markers are stripped (`predictor`). */
  normalizedName: string;
  /** The folder they share. */
  folder: string;
  members: NearDuplicateMember[];
  /** Token similarity (Jaccard over token multisets, 0–1) of every pair, highest first. */
  pairs: Array<{ a: string; b: string; similarity: number }>;
}

/**
 * Words that mark a copy of a module rather than a different module: `predictor_v2`, `predictorFinal`,
 * `riskCalcOld` and `predictor` are one module in several versions. Plain numbers are not markers
 * (`step_1`, `step_2` are a sequence, not versions).
 */
const VERSION_WORDS = new Set([
  'final',
  'new',
  'old',
  'copy',
  'backup',
  'bak',
  'legacy',
  'latest',
  'orig',
  'original',
  'tmp',
  'temp',
  'improved',
  'fixed',
  'alt',
  'draft',
  'next',
  'prev',
  'deprecated',
  'wip',
]);

export function normalizedModuleName(path: string): string {
  const stem = stripScriptExtension(posix.basename(path)).split('.')[0];
  const words = splitWords(stem)
    .map((word) => word.toLowerCase())
    .filter((word) => !/^v\d+$/.test(word) && !VERSION_WORDS.has(word));
  return words.join('-');
}

/** Identifier, keyword, literal and punctuation tokens of a script, comments and whitespace excluded. */
export function scriptTokens(text: string, fileName: string): string[] {
  const scanner = ts.createScanner(
    ts.ScriptTarget.Latest,
    true,
    scriptKindFor(fileName) === ts.ScriptKind.TSX ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard,
    text,
  );
  const tokens: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    tokens.push(scanner.getTokenText());
  }
  return tokens;
}

/** |A ∩ B| / |A ∪ B| over token multisets. */
export function tokenSimilarity(a: readonly string[], b: readonly string[]): number {
  const count = (tokens: readonly string[]) => {
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  };
  const left = count(a);
  const right = count(b);
  let intersection = 0;
  let union = 0;
  for (const token of new Set([...left.keys(), ...right.keys()])) {
    const l = left.get(token) ?? 0;
    const r = right.get(token) ?? 0;
    intersection += Math.min(l, r);
    union += Math.max(l, r);
  }
  return union === 0 ? 1 : intersection / union;
}

const TEST_FILE = /\.(spec|test)\.[cm]?[jt]sx?$/;

/**
 * Finds modules that are versions of one another: files in the same folder whose names are equal once
 * version markers (`v2`, `Final`, `Old`, `copy`…) and case/separators are stripped. Each group comes with
 * the token similarity of every pair, which says how much of the code the versions share.
 */
export function findNearDuplicates(files: ReadonlyArray<{ path: string; text: string }>): NearDuplicateGroup[] {
  const groups = new Map<string, Array<{ path: string; text: string }>>();
  for (const file of files) {
    const base = posix.basename(file.path);
    if (TEST_FILE.test(base) || base.endsWith('.d.ts') || stripScriptExtension(base) === 'index') continue;
    const normalized = normalizedModuleName(file.path);
    if (normalized === '') continue;
    const key = `${posix.dirname(file.path)}\0${normalized}`;
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const result: NearDuplicateGroup[] = [];
  for (const [key, members] of groups) {
    if (members.length < 2) continue;
    const [folder, normalizedName] = key.split('\0');
    const tokens = members.map((member) => scriptTokens(member.text, member.path));
    const pairs: NearDuplicateGroup['pairs'] = [];
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        pairs.push({
          a: members[i].path,
          b: members[j].path,
          similarity: Math.round(tokenSimilarity(tokens[i], tokens[j]) * 100) / 100,
        });
      }
    }
    pairs.sort((x, y) => y.similarity - x.similarity || x.a.localeCompare(y.a));
    result.push({
      normalizedName,
      folder,
      members: members.map((member, i) => ({ path: member.path, tokens: tokens[i].length })),
      pairs,
    });
  }
  return result.sort((a, b) => a.folder.localeCompare(b.folder) || a.normalizedName.localeCompare(b.normalizedName));
}
