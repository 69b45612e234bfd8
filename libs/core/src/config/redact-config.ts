import { REDACTED } from './describe-config-issues';
import { maskUrlCredentials } from './mask-url-credentials';
import type { PlatformConfig, PlatformSecretKey } from './platform-config-schema';
import { PLATFORM_SECRET_KEYS } from './platform-config-schema';

/** A config safe to log or serve: secrets that are set read '[redacted]'. */
export type RedactedPlatformConfig = Omit<PlatformConfig, 'secrets'> & {
  secrets: Partial<Record<PlatformSecretKey, typeof REDACTED>>;
};

/**
 * A deep copy of `config` to use whenever config is logged or served: every secret that is set becomes '[redacted]'
 * (unset ones stay undefined, so readers can still tell which credentials are configured) and the password of the
 * database URL is masked.
 */
export function redactConfig(config: PlatformConfig): RedactedPlatformConfig {
  const copy = structuredClone(config) as PlatformConfig;
  const secrets: Partial<Record<PlatformSecretKey, typeof REDACTED>> = {};
  for (const key of PLATFORM_SECRET_KEYS) {
    if (config.secrets[key] !== undefined) secrets[key] = REDACTED;
  }
  const url = copy.database.url;
  return {
    ...copy,
    database: { ...copy.database, ...(url === undefined ? {} : { url: maskUrlCredentials(url) }) },
    secrets,
  };
}
