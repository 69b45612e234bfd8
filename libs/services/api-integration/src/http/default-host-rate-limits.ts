import type { RateLimit } from '@rrr/core';

/**
 * Per-host request rates. Polygon and Coinbase are the legacy system's documented limits; Binance allows 1,200 request
 * weight per minute and most market-data calls weigh 1–2, so 10/s keeps a margin.
 */
export const DEFAULT_HOST_RATE_LIMITS: Readonly<Record<string, RateLimit>> = Object.freeze({
  'api.polygon.io': { refillPerSecond: 5 },
  'api.coinbase.com': { refillPerSecond: 3 },
  'api.exchange.coinbase.com': { refillPerSecond: 3 },
  'api.binance.com': { refillPerSecond: 10 },
});

/** For hosts without a limit of their own (self-hosted gateways, loopback fakes). */
export const DEFAULT_RATE_LIMIT: RateLimit = Object.freeze({ refillPerSecond: 10 });
