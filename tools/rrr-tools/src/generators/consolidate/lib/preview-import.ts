import type { Tree } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsTree } from 'nx/src/generators/tree';
import { listTree } from '../../../git';
import type { ImportHistoryResult } from './import-history';
import type { PlannedWipCommit } from './preflight';

export interface PreviewedService {
  name: string;
  target: string;
  /** Files (relative to the target) the import would bring, WIP changes included. */
  files: string[];
}

export interface ImportPreview {
  /** A scratch tree over the repository: reads the disk, keeps every write in memory. */
  tree: Tree;
  services: PreviewedService[];
}

/** Blob contents by object id, read with one `git cat-file --batch` (bytes, not text: binaries survive). */
function readBlobs(root: string, ids: readonly string[]): Map<string, Buffer> {
  const unique = [...new Set(ids)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const result = spawnSync('git', ['cat-file', '--batch'], {
    cwd: root,
    input: unique.join('\n') + '\n',
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`git cat-file --batch failed in ${root}: ${result.stderr.toString('utf8')}`);
  const out = result.stdout;
  let offset = 0;
  while (offset < out.length) {
    const newline = out.indexOf(10, offset);
    const [id, type, size] = out.subarray(offset, newline).toString('utf8').split(' ');
    if (type === 'missing') throw new Error(`git object ${id} is missing in ${root}`);
    const start = newline + 1;
    const length = Number(size);
    blobs.set(id, out.subarray(start, start + length));
    offset = start + length + 1;
  }
  return blobs;
}

/**
 * What the tree would look like after `importHistory` and the planned WIP commits, without writing a
 * thing: a scratch FsTree on the repository root gets each service's files at its target, read from the
 * worktree's HEAD commit and, for a dirty worktree about to be WIP-committed, from its working tree.
 */
export function previewImport(
  root: string,
  plan: ImportHistoryResult,
  wip: readonly PlannedWipCommit[],
  worktreePaths: ReadonlyMap<string, string>,
): ImportPreview {
  const tree = new FsTree(root, false);
  const services: PreviewedService[] = [];
  for (const service of plan.services) {
    if (service.skipped || !service.source) continue;
    const entries = listTree(root, service.source)
      .map((record) => {
        const tab = record.indexOf('\t');
        const [, type, id] = record.slice(0, tab).split(' ');
        return { path: record.slice(tab + 1), type, id };
      })
      // Submodule entries (type commit) have no content to move.
      .filter((entry) => entry.type === 'blob');
    const blobs = readBlobs(
      root,
      entries.map((entry) => entry.id),
    );
    const files = new Map(entries.map((entry) => [entry.path, blobs.get(entry.id) as Buffer]));
    const worktreePath = worktreePaths.get(service.worktree);
    const changes = wip.find((planned) => planned.label === service.worktree);
    if (changes && worktreePath) {
      for (const file of changes.files) {
        if (file.from) files.delete(file.from);
        const onDisk = join(worktreePath, file.path);
        if (existsSync(onDisk)) files.set(file.path, readFileSync(onDisk));
        else files.delete(file.path);
      }
    }
    for (const [path, content] of files) tree.write(`${service.target}/${path}`, content);
    services.push({ name: service.name, target: service.target, files: [...files.keys()].sort() });
  }
  return { tree, services };
}
