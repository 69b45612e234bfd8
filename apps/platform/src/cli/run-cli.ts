import { isRrrError } from '@rrr/core';
import yargs from 'yargs';
import { processIo, type CliIo, type CliOutcome } from './cli-io';
import { apiKeyCommand } from './commands/api-key-command';
import { auditCommand } from './commands/audit-command';
import { backtestCommand } from './commands/backtest-command';
import { configCommand } from './commands/config-command';
import { dataCommand } from './commands/data-command';
import { dbCommand } from './commands/db-command';
import { modelCommand } from './commands/model-command';
import { withModelSearchActions } from './commands/model-search-command';
import { optimizeCommand } from './commands/optimize-command';
import { serveCommand } from './commands/serve-command';

/** Exit codes: 0 success, 1 a failure the message explains, 2 a usage error, 78 invalid configuration (EX_CONFIG). */
export function exitCodeFor(error: unknown): number {
  if (isRrrError(error) && error.code === 'CONFIG_INVALID') return 78;
  return 1;
}

/** Runs one `rrr` command line and resolves with the process exit code; never calls process.exit itself. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let usageError: string | undefined;
  const outcome: CliOutcome = { exitCode: 0 };
  const cli = yargs([...argv])
    .scriptName('rrr')
    .usage('$0 <command> [options]')
    .command(serveCommand(io, outcome))
    .command(dbCommand(io))
    .command(configCommand(io))
    .command(auditCommand(io, outcome))
    .command(apiKeyCommand(io))
    .command(dataCommand(io, outcome))
    .command(withModelSearchActions(modelCommand(io), io))
    .command(backtestCommand(io))
    .command(optimizeCommand(io))
    .demandCommand(1, 'name a command (rrr --help lists them)')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      usageError = message;
    });
  try {
    let helpText = '';
    await cli.parseAsync([...argv], {}, (_err, _parsed, output) => {
      helpText = output;
    });
    if (usageError) {
      io.err(`${helpText ? `${helpText}\n` : ''}rrr: ${usageError}`);
      return 2;
    }
    if (helpText) io.out(helpText);
    return outcome.exitCode;
  } catch (error) {
    // yargs still runs a command's handler after reporting a usage error through fail(): the usage error is the cause.
    if (usageError) {
      io.err(`rrr: ${usageError}`);
      return 2;
    }
    io.err(
      `rrr: ${isRrrError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return exitCodeFor(error);
  }
}
