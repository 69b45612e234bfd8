import { isAbsolute, join, relative, sep } from 'node:path';
import { ConfigError, type FieldProblem } from '../errors';
import { deriveConfigEnvVars, readConfigEnv, type ConfigEnvVar } from './config-env-vars';
import { isPlainObject } from './config-paths';
import { deepFreeze } from './deep-freeze';
import { describeConfigIssues, REDACTED } from './describe-config-issues';
import { applyConfigLayer, createLayeredConfigInput } from './layered-config-input';
import { platformConfigSchema, type PlatformConfig } from './platform-config-schema';
import { readYamlConfigFile } from './read-yaml-config-file';
import { isSecretConfigPath, SECRET_ENV_ALIASES } from './secret-config-paths';

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

/** Settings that beat every other source, typically from CLI flags. Secrets are refused here. */
export type PlatformConfigOverrides = DeepPartial<PlatformConfig>;

export interface LoadConfigOptions {
  /** Environment variables to read; `process.env` when omitted. */
  env?: NodeJS.ProcessEnv;
  /** Base for the default `configDir` and for the file names shown in errors; `process.cwd()` when omitted. */
  cwd?: string;
  /** Folder holding `<environment>.yaml`; `<cwd>/config` when omitted. */
  configDir?: string;
  /** Environment name; otherwise `RRR_ENV`, then `NODE_ENV`, then `development`. */
  environment?: string;
  overrides?: PlatformConfigOverrides;
}

const ENV_PREFIX = 'RRR';
/** The derived name of the top-level `env` key; it selects the environment rather than being read as a layer. */
const ENVIRONMENT_VAR = 'RRR_ENV';
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

let platformEnvVars: readonly ConfigEnvVar[] | undefined;

/** Every environment variable the config reads, with the key it sets (for `--help` and docs). */
export function configEnvVarNames(): readonly ConfigEnvVar[] {
  // Derived on first use: the schema (and zod) load only when a config is read.
  platformEnvVars ??= Object.freeze(
    deriveConfigEnvVars(platformConfigSchema(), {
      prefix: ENV_PREFIX,
      isSecret: isSecretConfigPath,
      aliases: Object.fromEntries(Object.entries(SECRET_ENV_ALIASES).map(([key, name]) => [`secrets.${key}`, name])),
    }).map((v) => Object.freeze(v)),
  );
  return platformEnvVars;
}

interface EnvironmentChoice {
  name: string;
  /** Undefined when nothing chose it (the built-in `development`). */
  source?: string;
}

function chooseEnvironment(option: string | undefined, env: NodeJS.ProcessEnv): EnvironmentChoice {
  const candidates: Array<[string | undefined, string]> = [
    [option, 'option environment'],
    [env[ENVIRONMENT_VAR], `env ${ENVIRONMENT_VAR}`],
    [env['NODE_ENV'], 'env NODE_ENV'],
  ];
  for (const [value, source] of candidates) {
    const name = value?.trim();
    if (name !== undefined && name !== '') return { name, source };
  }
  return { name: 'development' };
}

/** The file as users know it: relative to the working directory when inside it. */
function fileLabel(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}

/** Removes the `secrets` section from a layer that may not carry secrets, with one problem per secret found. */
function refuseSecrets(
  values: Record<string, unknown>,
  source: string,
  problems: FieldProblem[],
): Record<string, unknown> {
  const { secrets, ...rest } = values;
  if (secrets === undefined) return values;
  const entries: Array<[string, unknown]> = isPlainObject(secrets)
    ? Object.entries(secrets).map(([key, value]) => [`secrets.${key}`, value])
    : [['secrets', secrets]];
  for (const [path, value] of entries) {
    if (value === undefined) continue;
    const names = configEnvVarNames()
      .filter((v) => v.path === path)
      .map((v) => v.name);
    const instead = names.length === 0 ? '' : ` (set ${names.join(' or ')})`;
    problems.push({
      field: path,
      message: `secrets are accepted only from environment variables${instead}, found in ${source}`,
      value: REDACTED,
    });
  }
  return rest;
}

/**
 * Builds the platform config from, in increasing precedence: schema defaults < `<configDir>/<environment>.yaml` <
 * `RRR_*` environment variables (plus the conventional secret names) < `overrides`. Secrets come only from the
 * environment. Every problem found is reported in one `ConfigError`, each naming the key, the expectation, the value
 * (redacted for secrets) and its source. The result is deep-frozen.
 */
export function loadConfig(options: LoadConfigOptions = {}): PlatformConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configDir = options.configDir ?? join(cwd, 'config');
  const problems: FieldProblem[] = [];
  const input = createLayeredConfigInput();

  const environment = chooseEnvironment(options.environment, env);
  if (ENVIRONMENT_NAME.test(environment.name)) {
    // The environment name is the lowest layer of `env`, so a file for a custom environment (staging.yaml) may map it.
    applyConfigLayer(input, { env: environment.name }, () => environment.source ?? 'defaults');
    const file = join(configDir, `${environment.name}.yaml`);
    const label = fileLabel(file, cwd);
    const yaml = readYamlConfigFile(file, label);
    problems.push(...yaml.problems);
    applyConfigLayer(input, refuseSecrets(yaml.values, label, problems), () => label);
  } else {
    problems.push({
      field: 'env',
      message: `expected an environment name of letters, digits, _ and -, got ${JSON.stringify(environment.name)} (from ${environment.source ?? 'defaults'})`,
      value: environment.name,
    });
  }

  const envLayer = readConfigEnv(env, configEnvVarNames(), { prefix: ENV_PREFIX, ignore: [ENVIRONMENT_VAR] });
  problems.push(...envLayer.problems);
  applyConfigLayer(input, envLayer.values, (path) => envLayer.sources.get(path) ?? 'environment');

  if (options.overrides !== undefined) {
    const overrides: unknown = options.overrides;
    if (isPlainObject(overrides)) {
      applyConfigLayer(input, refuseSecrets(overrides, 'override', problems), () => 'override');
    } else {
      problems.push({ field: '(overrides)', message: 'expected a mapping of settings' });
    }
  }

  const parsed = platformConfigSchema().safeParse(input.values);
  if (!parsed.success) problems.push(...describeConfigIssues(parsed.error.issues, input, platformConfigSchema()));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return deepFreeze(structuredClone(parsed.data));
}
