import {
  createLogger,
  loadConfig,
  LOG_LEVELS,
  type PlatformConfig,
  type PlatformConfigOverrides,
  type RrrLogger,
} from '@rrr/core';
import type { Argv } from 'yargs';

export interface GlobalArgs {
  env?: string;
  configDir?: string;
  logLevel?: string;
}

export function withGlobalOptions<T>(yargs: Argv<T>): Argv<T & GlobalArgs> {
  return yargs
    .option('env', {
      type: 'string',
      describe: 'configuration environment: reads config/<env>.yaml (default RRR_ENV, NODE_ENV, development)',
    })
    .option('config-dir', { type: 'string', describe: 'folder holding <env>.yaml files', default: undefined })
    .option('log-level', { type: 'string', choices: [...LOG_LEVELS], describe: 'log level (overrides logging.level)' });
}

/** Loads the layered config with the CLI flags as the top layer; a bad value throws ConfigError naming it. */
export function loadCliConfig(args: GlobalArgs, overrides: PlatformConfigOverrides = {}): PlatformConfig {
  return loadConfig({
    environment: args.env,
    configDir: args.configDir,
    overrides: {
      ...overrides,
      ...(args.logLevel
        ? { logging: { ...overrides.logging, level: args.logLevel as PlatformConfig['logging']['level'] } }
        : {}),
    },
  });
}

export function cliLogger(config: PlatformConfig): RrrLogger {
  return createLogger({ level: config.logging.level, name: 'rrr' });
}
