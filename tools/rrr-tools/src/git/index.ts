export { git, gitResult, splitNul, splitLines, isAncestor, listTree, revParse, commitIdentityArgs } from './git';
export type { GitOptions, GitResult } from './git';
export { GitCommandError } from './git-command-error';
