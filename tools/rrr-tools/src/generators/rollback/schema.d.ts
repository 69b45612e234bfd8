export interface RollbackGeneratorSchema {
  /** Backup folder (holding manifest.json), absolute or relative to the workspace root. Default: latest under backupDir. */
  backup?: string;
  /** Folder holding timestamped backups. Default `backups`. */
  backupDir?: string;
}
