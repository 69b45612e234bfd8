import { ConfigError, createLogger, loadConfig, openDatabase, type PlatformConfigOverrides } from '@rrr/core';
import { FakeBinanceServer } from '@rrr/api-integration';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore } from '../security';
import { eventually } from '../testing/eventually';
import { createPlatform, type Platform, type PlatformOptions } from './create-platform';

const CREDENTIALS = { BINANCE_API_KEY: 'platform-live-key', BINANCE_SECRET: 'platform-live-secret' };

/**
 * Real orders on `trading.venue: binance`: what the operator sets, on top of the spec's paths and port. The engine
 * trades 20,000 of the account's 25,000 USDT.
 */
const LIVE_TRADING: PlatformConfigOverrides = {
  trading: { venue: 'binance', live: true, capital: 20_000 },
  // No stored history: the default SMA strategy stays in its warm-up, so the only order is the spec's own.
  data: { symbols: ['BTC-USDT'], liveSource: 'binance', liveHistoryBars: 0 },
  paper: { quoteCurrency: 'USDT' },
};

interface Health {
  services: Record<string, { status: string; details?: Record<string, unknown> }>;
}

/**
 * The whole platform trading live: `trading.venue: binance` sends the engine's orders through api-integration's
 * shared client to the venue (here a local server speaking Binance's signed REST API); `trading.capital` is the cash
 * of both the engine's ledger and the risk service's equity, and must be free at the venue. The credentials reach the
 * platform the way they do in production: environment variables read by loadConfig.
 */
describe('the platform trading live on an exchange', () => {
  let fake: FakeBinanceServer;
  let dir: string;

  beforeAll(async () => {
    fake = await FakeBinanceServer.start({
      apiKey: CREDENTIALS.BINANCE_API_KEY,
      secret: CREDENTIALS.BINANCE_SECRET,
      markets: [{ base: 'BTC', quote: 'USDT', lastPrice: 60_000 }],
      balances: { USDT: 25_000, BTC: 0.5 },
    });
    dir = mkdtempSync(join(tmpdir(), 'rrr-live-trading-'));
  });

  afterAll(async () => {
    await fake?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const platformOptions = (): PlatformOptions => ({
    api: { security: { rateLimit: false } },
    apiIntegration: {
      exchanges: [{ exchange: 'binance', urls: { rest: fake.restUrl, ws: fake.wsUrl } }],
      probe: { intervalMs: 60_000 },
    },
  });

  /** The config `rrr serve` would load with these variables and the spec's own paths and port. */
  function load(env: NodeJS.ProcessEnv, overrides: PlatformConfigOverrides, name: string) {
    return loadConfig({
      env,
      configDir: dir,
      overrides: {
        ...overrides,
        server: { port: 0 },
        database: { sqlitePath: join(dir, `${name}.db`) },
        models: { dir: join(dir, `${name}-models`) },
      },
    });
  }

  describe('with trading.live: true and the credentials in the environment', () => {
    let platform: Platform;
    let api: string;
    let tradeKey: string;

    beforeAll(async () => {
      const config = load(CREDENTIALS, LIVE_TRADING, 'live');
      // The key exists before start, as `rrr api-key create` would have made it.
      const db = await openDatabase({ sqlitePath: config.database.sqlitePath });
      tradeKey = (await new ApiKeyStore(db).create({ name: 'trader', scope: 'trade' })).token;
      await db.close();
      platform = createPlatform(config, createLogger({ level: 'silent' }), platformOptions());
      await platform.start();
      api = `${platform.url()}/api/v1`;
    });

    afterAll(async () => {
      await platform?.stop();
    });

    const health = async (): Promise<Health> => (await (await fetch(`${platform.url()}/health`)).json()) as Health;

    const riskEquity = async (): Promise<number> =>
      ((await (await fetch(`${api}/risk/usage`)).json()) as { equity: number }).equity;

    it('opens the ledger with trading.capital, the equity risk measures against too, out of the larger account', async () => {
      const engine = (await health()).services['trading-engine'];
      expect(engine.status).toBe('up');
      expect(engine.details).toMatchObject({
        venue: 'binance',
        cash: 20_000,
        equity: 20_000,
        venueBalances: { USDT: 25_000, BTC: 0.5 },
      });
      const portfolio = (await (await fetch(`${api}/portfolio`)).json()) as Record<string, number>;
      expect(portfolio).toMatchObject({ cash: 20_000, equity: 20_000 });
      // Not paper.initialCash (100,000), nor the account's 25,000.
      expect(await riskEquity()).toBe(20_000);
      // The start's balance request went to the venue, signed.
      expect(fake.requestsTo('/api/v3/account').length).toBeGreaterThanOrEqual(1);
    });

    it('sends a REST market order to the venue and books its fill in the order, the position and the cash', async () => {
      let tradeId = 1;
      // Pre-trade risk needs a market price: a print of the venue's trade stream gives the engine one.
      const print = () =>
        fake.publishTrade({
          symbol: 'BTCUSDT',
          id: tradeId++,
          price: 60_000,
          quantity: 0.2,
          time: Date.now(),
          buyerIsMaker: true,
        });
      const id = await eventually(async () => {
        print();
        const placed = await fetch(`${api}/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tradeKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ symbol: 'BTC-USDT', side: 'buy', type: 'market', quantity: 0.01 }),
        });
        return placed.status === 201 ? ((await placed.json()) as { id: string }).id : undefined;
      }, 'an order priced by a print of the venue');

      const placedAtVenue = fake.requestsTo('/api/v3/order').filter((r) => r.method === 'POST');
      expect(
        placedAtVenue
          .map((r) => new URLSearchParams(String(r.body)))
          .map((form) => [form.get('symbol'), form.get('side'), form.get('type'), form.get('quantity')]),
      ).toEqual([['BTCUSDT', 'BUY', 'MARKET', '0.01']]);

      // The venue filled it at its last price (60,000); the engine learns the fill from the venue's answer.
      const order = await eventually(async () => {
        const read = (await (await fetch(`${api}/orders/${id}`)).json()) as {
          status: string;
          venue: string;
          filledQuantity: number;
          averageFillPrice: number;
        };
        return read.status === 'filled' ? read : undefined;
      }, 'the order filled at the venue');
      expect(order).toMatchObject({ venue: 'binance', filledQuantity: 0.01, averageFillPrice: 60_000 });
      expect(fake.balance('BTC').free).toBeCloseTo(0.51, 12);

      const positions = (await (await fetch(`${api}/positions`)).json()) as {
        items: { symbol: string; quantity: number; averagePrice: number }[];
      };
      expect(positions.items).toEqual([
        expect.objectContaining({ symbol: 'BTC-USDT', quantity: 0.01, averagePrice: 60_000 }),
      ]);
      // 600 USDT for the coin and the estimated 0.1 % fee (unified orders carry no commission).
      const engine = (await health()).services['trading-engine'];
      expect(engine.details?.['cash']).toBeCloseTo(20_000 - 600 - 0.6, 9);
      // Risk's book heard the position: both value the account at the capital less the fee.
      await eventually(async () => ((await riskEquity()) === 20_000 - 0.6 ? true : undefined), "risk's equity");
    });

    it('measures the position limit against the capital: 20 % of 20,000, not of the account', async () => {
      // 0.06 more BTC makes the position 0.07 BTC, 4,200 USDT: 21 % of the capital's equity, 16.8 % of the account.
      const refused = await fetch(`${api}/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tradeKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ symbol: 'BTC-USDT', side: 'buy', type: 'market', quantity: 0.06 }),
      });
      expect(refused.status).toBe(422);
      const { error } = (await refused.json()) as {
        error: { code: string; details: { rule: string; value: number; limit: number } };
      };
      expect(error.code).toBe('RISK_REJECTED');
      expect(error.details).toMatchObject({ rule: 'max-position', limit: 0.2 });
      expect(error.details.value).toBeCloseTo(4_200 / (20_000 - 0.6), 9);
      expect(fake.requestsTo('/api/v3/order').filter((r) => r.method === 'POST')).toHaveLength(1);
    });
  });

  it('refuses to load a config that names the venue without trading.live: true', () => {
    const unconfirmed = { ...LIVE_TRADING, trading: { venue: 'binance' as const, capital: 20_000 } };
    let refused: unknown;
    try {
      load(CREDENTIALS, unconfirmed, 'unconfirmed');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems.map((p) => p.field)).toEqual(['trading.live']);
    expect((refused as ConfigError).message).toBe(
      'invalid configuration: trading.live: expected true when trading.venue is an exchange ' +
        '("binance", from override), got nothing (from defaults)',
    );
  });

  /** Starts a platform that must refuse to start: the error it refused with (it is stopped again). */
  const refusedStart = async (config: ReturnType<typeof load>): Promise<unknown> => {
    const platform = createPlatform(config, createLogger({ level: 'silent' }), platformOptions());
    try {
      await platform.start();
    } catch (error) {
      return error;
    } finally {
      await platform.stop();
    }
    throw new Error('the platform started');
  };

  it('refuses to start when the venue holds less free than trading.capital, before any order can be sent', async () => {
    const orders = fake.requestsTo('/api/v3/order').length;
    // 25,000, less what the order above spent when it ran first.
    const free = fake.balance('USDT').free;
    const refused = await refusedStart(
      load(CREDENTIALS, { ...LIVE_TRADING, trading: { venue: 'binance', live: true, capital: 30_000 } }, 'too-much'),
    );
    expect(refused).toMatchObject({
      code: 'SERVICE_FAILED',
      message:
        'service "trading-engine" failed to start: invalid live trading on binance: ' +
        `trading.capital: asks for 30000 USDT, but binance holds ${free} USDT free`,
    });
    expect((refused as Error).cause).toBeInstanceOf(ConfigError);
    expect((refused as Error & { cause: ConfigError }).cause.problems.map((p) => p.field)).toEqual(['trading.capital']);
    expect(fake.requestsTo('/api/v3/order')).toHaveLength(orders);
  });

  it('refuses to start without the venue’s credentials, naming each variable, before any order can be sent', async () => {
    const accountRequests = fake.requestsTo('/api/v3/account').length;
    const refused = await refusedStart(load({}, LIVE_TRADING, 'no-credentials'));
    expect(refused).toMatchObject({
      code: 'SERVICE_FAILED',
      message:
        'service "trading-engine" failed to start: invalid live trading on binance: ' +
        'BINANCE_API_KEY: is not set: live trading on binance needs it in the environment; ' +
        'BINANCE_SECRET: is not set: live trading on binance needs it in the environment',
    });
    expect((refused as Error).cause).toBeInstanceOf(ConfigError);
    expect(fake.requestsTo('/api/v3/account')).toHaveLength(accountRequests);
  });
});
