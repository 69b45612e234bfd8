export { platformConfigSchema, PLATFORM_ENVIRONMENTS, TRADING_VENUES } from './platform-config-schema';
export type {
  PlatformConfig,
  PlatformEnvironment,
  PlatformSecrets,
  PlatformSecretKey,
  TradingVenue,
} from './platform-config-schema';
export { loadConfig, configEnvVarNames } from './load-config';
export type { LoadConfigOptions, PlatformConfigOverrides } from './load-config';
export type { ConfigEnvVar, ConfigScalarKind } from './config-env-vars';
export { defaultPlatformConfig } from './default-platform-config';
export { redactConfig } from './redact-config';
export type { RedactedPlatformConfig } from './redact-config';
export { SECRET_CONFIG_PATHS, SECRET_ENV_ALIASES, isSecretConfigPath } from './secret-config-paths';
export { maskUrlCredentials } from './mask-url-credentials';
