import { REDACTED } from '../http/redact';

export type ExchangeId = 'coinbase' | 'binance';

export const EXCHANGE_IDS: readonly ExchangeId[] = ['coinbase', 'binance'];

/** The environment variables each exchange's credentials come from; nothing else supplies them. */
export const EXCHANGE_CREDENTIAL_ENV: Readonly<Record<ExchangeId, { apiKey: string; secret: string }>> = Object.freeze({
  coinbase: { apiKey: 'COINBASE_API_KEY', secret: 'COINBASE_SECRET' },
  binance: { apiKey: 'BINANCE_API_KEY', secret: 'BINANCE_SECRET' },
});

export interface ExchangeCredentials {
  apiKey: string;
  secret: string;
}

/**
 * The credentials of `exchange` from `env`, or undefined when either half is unset (the client then serves public data
 * only). Coinbase CDP secrets are PEM keys, which env files usually hold with literal `\n`: those become newlines.
 */
export function readExchangeCredentials(
  exchange: ExchangeId,
  env: Readonly<Record<string, string | undefined>>,
): ExchangeCredentials | undefined {
  const names = EXCHANGE_CREDENTIAL_ENV[exchange];
  const apiKey = env[names.apiKey]?.trim();
  const secret = env[names.secret]?.trim().replace(/\\n/g, '\n');
  if (!apiKey || !secret) return undefined;
  return { apiKey, secret };
}

/** How credentials are shown anywhere: present or not, never their value. */
export function describeCredentials(
  exchange: ExchangeId,
  credentials: ExchangeCredentials | undefined,
): {
  apiKey: string;
  secret: string;
  source: string;
} {
  const names = EXCHANGE_CREDENTIAL_ENV[exchange];
  return {
    apiKey: credentials ? REDACTED : '(not set)',
    secret: credentials ? REDACTED : '(not set)',
    source: `env ${names.apiKey} / ${names.secret}`,
  };
}
