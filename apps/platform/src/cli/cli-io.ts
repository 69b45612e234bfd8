/** Where the CLI writes: the process's streams in production, buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** What a command reports back besides its output: the exit code when it finished without throwing. */
export interface CliOutcome {
  exitCode: number;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};
