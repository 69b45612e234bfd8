import { installShutdownHandlers } from '@rrr/core';
import type { CommandModule } from 'yargs';
import { createPlatform } from '../../boot/create-platform';
import type { CliIo, CliOutcome } from '../cli-io';
import { cliLogger, loadCliConfig, withGlobalOptions, type GlobalArgs } from '../global-options';

interface ServeArgs extends GlobalArgs {
  port?: number;
  host?: string;
}

export function serveCommand(io: CliIo, outcome: CliOutcome): CommandModule<object, ServeArgs> {
  return {
    command: 'serve',
    describe: 'start every service and serve the API (Ctrl-C stops them cleanly)',
    builder: (yargs) =>
      withGlobalOptions(yargs)
        .option('port', { type: 'number', describe: 'API port (overrides server.port)' })
        .option('host', { type: 'string', describe: 'API host (overrides server.host)' }),
    handler: async (args) => {
      const server = { ...(args.port !== undefined && { port: args.port }), ...(args.host && { host: args.host }) };
      const config = loadCliConfig(args, { server });
      const logger = cliLogger(config);
      const platform = createPlatform(config, logger);
      const startedAt = performance.now();
      await platform.start();
      // A scaled-out process may run without the api service: then there is no URL to print.
      const where = platform.url() === '' ? ' (no API in this process)' : `: ${platform.url()}/health`;
      io.err(
        `RRRalgorithms is up in ${Math.round(performance.now() - startedAt)} ms${where} ` +
          `(services started in order: ${platform.registry.startOrder().join(' → ')})`,
      );
      // The command resolves only after a signal has stopped everything, so the CLI's exit code is the shutdown's.
      await new Promise<void>((resolve) => {
        installShutdownHandlers(platform.registry, {
          logger,
          onExit: (code) => {
            outcome.exitCode = code;
            resolve();
          },
        });
      });
    },
  };
}
