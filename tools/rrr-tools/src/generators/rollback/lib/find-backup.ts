import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { MANIFEST_FILE, readManifest } from '../../consolidate/lib/backup-manifest';

export interface BackupLocation {
  /** A backup folder (holding manifest.json), absolute or relative to the root. */
  backup?: string;
  /** Folder holding timestamped backups, searched when `backup` is not given. Default `backups`. */
  backupDir?: string;
}

/** The most recent complete backup (by the manifest's createdAt) under `backupRoot`. */
export function findLatestBackup(backupRoot: string): string {
  if (!existsSync(backupRoot)) throw new Error(`No backups: ${backupRoot} does not exist`);
  const candidates = readdirSync(backupRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(backupRoot, entry.name, MANIFEST_FILE)))
    .map((entry) => {
      const path = join(backupRoot, entry.name);
      return { path, createdAt: readManifest(path).createdAt, name: entry.name };
    })
    .sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const latest = candidates[candidates.length - 1];
  if (!latest) throw new Error(`No complete backup (a folder with ${MANIFEST_FILE}) under ${backupRoot}`);
  return latest.path;
}

/** The backup folder to restore: the one named, or the latest under backupDir. */
export function resolveBackup(root: string, location: BackupLocation): string {
  const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(root, path));
  if (location.backup) {
    const path = absolute(location.backup);
    readManifest(path);
    return path;
  }
  return findLatestBackup(absolute(location.backupDir ?? 'backups'));
}
