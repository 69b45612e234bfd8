export { git, gitResult, splitNul, splitLines, isAncestor, revParse, commitIdentityArgs } from './git';
export type { GitOptions, GitResult } from './git';
export { GitCommandError } from './git-command-error';
