import { PLATFORM_SECRET_KEYS, type PlatformSecretKey } from './platform-config-schema';

/** Dotted paths of every secret in `PlatformConfig`; loggers and `redactConfig` censor these. */
export const SECRET_CONFIG_PATHS: readonly string[] = Object.freeze(
  PLATFORM_SECRET_KEYS.map((key) => `secrets.${key}`),
);

/** The names vendors' own tools and docs use; accepted next to the derived `RRR_SECRETS_*` names. */
export const SECRET_ENV_ALIASES: Readonly<Record<PlatformSecretKey, string>> = Object.freeze({
  polygonApiKey: 'POLYGON_API_KEY',
  coinbaseApiKey: 'COINBASE_API_KEY',
  coinbaseSecret: 'COINBASE_SECRET',
  binanceApiKey: 'BINANCE_API_KEY',
  binanceSecret: 'BINANCE_SECRET',
});

/** True for the `secrets` section and anything under it, known key or not: an unknown key there may still hold a secret. */
export function isSecretConfigPath(path: string): boolean {
  return path === 'secrets' || path.startsWith('secrets.') || path.startsWith('secrets[');
}
