/** One commit of a legacy branch: files written (path → content) and paths deleted. */
export interface FixtureCommit {
  message: string;
  files: Record<string, string>;
  remove?: string[];
}

/** How one legacy service worktree is built: its identity, its dependencies and its history. */
export interface ServiceBlueprint {
  /** Legacy folder and branch suffix (`neural_network` → `worktrees/neural_network`, `service/neural_network`). */
  folder: string;
  title: string;
  /** The legacy service port (DESIGN.md "Legacy defaults"). */
  port: number;
  /** Folders of the services this one imports (allowed edges of the dependency table). */
  dependsOn: readonly string[];
  /** Hand-written history, oldest first; package scaffolding and docs are added around it. */
  commits: readonly FixtureCommit[];
  /** A cross-service import a scaled module may use: specifier (alias form) and the function it exports. */
  aliasImport?: { specifier: string; name: string; call: string };
  /** Uncommitted modification and untracked file when this worktree is chosen to be the dirty one. */
  dirty?: { modified: Record<string, string>; untracked: Record<string, string> };
}
