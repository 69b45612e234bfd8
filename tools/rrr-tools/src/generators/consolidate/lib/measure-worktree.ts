import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DropReason } from './plan-layout';

export interface WorktreeMeasure {
  /** Every file of the working tree (not .git), tracked, untracked and ignored. */
  total: { files: number; bytes: number };
  /** Dependencies, lockfiles and build output: what consolidation leaves behind. */
  leftBehind: { files: number; bytes: number; byReason: Record<string, { files: number; bytes: number }> };
}

const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb']);
const BUILD_OUTPUT = new Set(['dist', 'build', 'out-tsc', 'coverage', '.turbo']);

function reasonFor(segments: string[]): DropReason | undefined {
  if (segments.includes('node_modules')) return 'dependencies';
  if (segments.length === 1 && LOCKFILES.has(segments[0])) return 'lockfile';
  if (BUILD_OUTPUT.has(segments[0]) || segments[segments.length - 1].endsWith('.tsbuildinfo')) return 'build-output';
  return undefined;
}

/**
 * Counts a worktree's files and bytes on disk (symlinks as links, never followed) and how much of it is
 * dependencies, lockfiles and build output — the part a consolidated workspace does not carry.
 */
export function measureWorktree(path: string): WorktreeMeasure {
  const measure: WorktreeMeasure = { total: { files: 0, bytes: 0 }, leftBehind: { files: 0, bytes: 0, byReason: {} } };
  if (!existsSync(path)) return measure;
  const visit = (segments: string[]): void => {
    for (const entry of readdirSync(join(path, ...segments), { withFileTypes: true })) {
      if (segments.length === 0 && entry.name === '.git') continue;
      const next = [...segments, entry.name];
      if (entry.isDirectory()) {
        visit(next);
        continue;
      }
      const bytes = lstatSync(join(path, ...next)).size;
      measure.total.files++;
      measure.total.bytes += bytes;
      const reason = reasonFor(next);
      if (reason) {
        const tally = (measure.leftBehind.byReason[reason] ??= { files: 0, bytes: 0 });
        tally.files++;
        tally.bytes += bytes;
        measure.leftBehind.files++;
        measure.leftBehind.bytes += bytes;
      }
    }
  };
  visit([]);
  return measure;
}
