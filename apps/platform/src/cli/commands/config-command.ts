import { configEnvVarNames, redactConfig } from '@rrr/core';
import { stringify } from 'yaml';
import type { CommandModule } from 'yargs';
import type { CliIo } from '../cli-io';
import { loadCliConfig, withGlobalOptions, type GlobalArgs } from '../global-options';

interface ConfigArgs extends GlobalArgs {
  action: 'show' | 'env';
  json: boolean;
}

export function configCommand(io: CliIo): CommandModule<object, ConfigArgs> {
  return {
    command: 'config <action>',
    describe: 'show the effective configuration (secrets redacted) or the environment variables it reads',
    builder: (yargs) =>
      withGlobalOptions(yargs)
        .positional('action', { choices: ['show', 'env'] as const, demandOption: true })
        .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of YAML' }),
    handler: (args) => {
      const { action, json } = args;
      if (action === 'env') {
        for (const v of configEnvVarNames()) io.out(`${v.name.padEnd(40)} ${v.path}`);
        return;
      }
      const shown = redactConfig(loadCliConfig(args));
      io.out(json ? JSON.stringify(shown, null, 2) : stringify(shown));
    },
  };
}
