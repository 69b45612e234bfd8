/** A git invocation that failed: the message carries the command, where it ran, the exit code and stderr. */
export class GitCommandError extends Error {
  readonly code = 'GIT_COMMAND_FAILED';

  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly signal: NodeJS.Signals | null = null,
  ) {
    const how = signal ? `killed by ${signal}` : `exit code ${exitCode}`;
    super(
      `git ${args.map(quoteArg).join(' ')} (in ${cwd}) failed with ${how}${stderr.trim() ? `:\n${stderr.trim()}` : ''}`,
    );
    this.name = 'GitCommandError';
  }
}

/** Quoting for display only: arguments are always passed to git as an array, never through a shell. */
function quoteArg(arg: string): string {
  return /^[\w@%+=:,./^~{}-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
