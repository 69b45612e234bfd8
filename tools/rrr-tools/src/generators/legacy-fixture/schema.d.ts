export interface LegacyFixtureGeneratorSchema {
  /** Where to create the repository (absolute, or relative to the workspace root). Must be absent or empty. */
  directory: string;
  /** How many services (1–8), in dependency order. Default 8. */
  services?: number;
  /** Target number of TypeScript files (src + tests) per service. Default 24. */
  filesPerService?: number;
  /** Folder of the worktree left dirty. Default trading_engine when present, else the last service. */
  dirtyWorktree?: string;
  /** Symlink the workspace's node_modules at the repository root. Default true. */
  linkNodeModules?: boolean;
}
