import type { ServiceBlueprint } from '../service-blueprint';

export const apiIntegrationBlueprint: ServiceBlueprint = {
  folder: 'api_integration',
  title: 'API integration',
  port: 8005,
  dependsOn: [],
  aliasImport: {
    specifier: '@services/api_integration/rate_limit/tokenBucket',
    name: 'TokenBucket',
    call: 'new TokenBucket(1, 1, { now: () => 0 }).available()',
  },
  commits: [
    {
      message: 'api: exchange client over an injected transport',
      files: {
        'src/clients/exchange-client.ts': `import type { Bar } from '@shared/types';
import { Logger, createLogger } from '@shared/logger';

export interface Ticker {
  symbol: string;
  bid: number;
  ask: number;
  time: number;
}

/** Fetches a path from the exchange and returns the parsed JSON body. */
export type Transport = (path: string) => Promise<unknown>;

function isTicker(value: unknown): value is Ticker {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return typeof t['symbol'] === 'string' && typeof t['bid'] === 'number' && typeof t['ask'] === 'number' && typeof t['time'] === 'number';
}

export class ExchangeClient {
  private readonly log: Logger;

  constructor(
    private readonly transport: Transport,
    log: Logger = createLogger('api_integration'),
  ) {
    this.log = log.child('exchange');
  }

  async getTicker(symbol: string): Promise<Ticker> {
    const body = await this.transport('/ticker/' + encodeURIComponent(symbol));
    if (!isTicker(body)) {
      this.log.warn('malformed ticker', { symbol });
      throw new Error('malformed ticker for ' + symbol);
    }
    return body;
  }

  async getBars(symbol: string, limit: number): Promise<Bar[]> {
    const body = await this.transport('/bars/' + encodeURIComponent(symbol) + '?limit=' + limit);
    if (!Array.isArray(body)) throw new Error('malformed bars for ' + symbol);
    return body as Bar[];
  }
}

export function midPrice(ticker: Ticker): number {
  return (ticker.bid + ticker.ask) / 2;
}
`,
        'src/index.ts': `export * from './clients/exchange-client';
`,
      },
    },
    {
      message: 'api: token bucket rate limiter',
      files: {
        'src/rate_limit/tokenBucket.ts': `export interface Clock {
  now(): number;
}

/** Classic token bucket: capacity tokens, refilled continuously at refillPerSecond. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = capacity;
    this.last = clock.now();
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  tryTake(count = 1): boolean {
    this.refill();
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
    this.last = now;
  }
}
`,
        'src/index.ts': `export * from './clients/exchange-client';
export * from './rate_limit/tokenBucket';
`,
      },
    },
    {
      message: 'api: unit tests',
      files: {
        'tests/token_bucket.test.ts': `import { TokenBucket } from '../src/rate_limit/tokenBucket';

describe('TokenBucket', () => {
  it('refuses when empty and refills over time', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 1, { now: () => now });
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    now = 1500;
    expect(bucket.available()).toBeCloseTo(1.5);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('never holds more than its capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 10, { now: () => now });
    now = 60_000;
    expect(bucket.available()).toBe(3);
  });
});
`,
        'tests/exchange-client.test.ts': `import { ExchangeClient, midPrice } from '../src/clients/exchange-client';
import { createLogger } from '@shared/logger';

describe('ExchangeClient', () => {
  it('returns a well-formed ticker and its mid price', async () => {
    const paths: string[] = [];
    const client = new ExchangeClient(async (path) => {
      paths.push(path);
      return { symbol: 'BTC-USD', bid: 99, ask: 101, time: 1_700_000_000_000 };
    });
    const ticker = await client.getTicker('BTC-USD');
    expect(paths).toEqual(['/ticker/BTC-USD']);
    expect(midPrice(ticker)).toBe(100);
  });

  it('rejects a malformed ticker and logs it', async () => {
    const log = createLogger('test');
    const client = new ExchangeClient(async () => ({ symbol: 'BTC-USD' }), log);
    await expect(client.getTicker('BTC-USD')).rejects.toThrow('malformed ticker for BTC-USD');
    expect(log.entries).toEqual([{ level: 'warn', service: 'test.exchange', message: 'malformed ticker', fields: { symbol: 'BTC-USD' } }]);
  });
});
`,
      },
    },
    {
      message: 'api: pin dependencies with a lockfile',
      files: {
        'package-lock.json':
          JSON.stringify({ name: 'rrr-api_integration', lockfileVersion: 3, requires: true, packages: {} }, null, 2) +
          '\n',
      },
    },
  ],
};
