import type { z } from 'zod';
import { DEFAULT_QUOTE_CURRENCY, isValidSymbol } from '../domain/symbol';
import { LOG_LEVELS } from '../logging/log-level';
import { loadZod } from './load-zod';
import {
  booleanField,
  enumField,
  fractionField,
  integerField,
  listField,
  numberField,
  patternField,
  positiveNumberField,
  requireOrdered,
  sectionField,
} from './config-fields';

export const PLATFORM_ENVIRONMENTS = ['development', 'test', 'production'] as const;
/** Sources of the live feed: the synthetic market, or an exchange (the ids api-integration connects). */
export const LIVE_SOURCES = ['synthetic', 'binance', 'coinbase'] as const;
/** Where the trading engine's orders go: the simulated paper exchange, or an exchange (real orders, real money). */
export const TRADING_VENUES = ['paper', 'binance', 'coinbase'] as const;
export type PlatformEnvironment = (typeof PLATFORM_ENVIRONMENTS)[number];
export type TradingVenue = (typeof TRADING_VENUES)[number];

/** Builds the schema (zod loads here, on first use: see load-zod.ts). */
function buildPlatformConfigSchema() {
  const MINUTE_MS = 60_000;

  const serverSchema = sectionField({
    host: patternField(/^\S+$/, 'a host name or IP address').default('127.0.0.1'),
    // 0 asks the OS for a free port (tests, several instances on one machine); the bound URL is logged at start.
    port: integerField(0, 65535).default(3000),
    corsOrigins: listField(
      patternField(/^(\*|https?:\/\/[^/\s]+)$/, 'an origin such as https://example.com:8080 (no path) or *'),
      'a list of origins',
    ).default(() => []),
  });

  const databaseSchema = sectionField({
    /** When set, PostgreSQL replaces the embedded SQLite database. */
    url: patternField(/^postgres(ql)?:\/\/\S+$/, 'a postgres:// or postgresql:// URL').optional(),
    sqlitePath: patternField(/\S/, 'a file path (or :memory:)').default('data/rrr.db'),
    busyTimeoutMs: integerField(0, 10 * MINUTE_MS).default(5000),
    poolMax: integerField(1, 1000).default(10),
  });

  const busSchema = sectionField({
    kind: enumField(['memory', 'nats']).default('memory'),
    natsUrl: patternField(/^(nats|tls|ws|wss):\/\/\S+$/, 'a nats://, tls://, ws:// or wss:// URL').default(
      'nats://127.0.0.1:4222',
    ),
    // JetStream rejects stream names with whitespace, dots, wildcards or path separators.
    stream: patternField(/^[A-Za-z0-9_-]{1,64}$/, 'a stream name of 1-64 letters, digits, _ or -').default('RRR'),
    // Topic `bar` travels as subject `<prefix>.bar`; two platforms on one NATS server keep apart with distinct prefixes.
    prefix: patternField(
      /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
      'dot-separated tokens of letters, digits, _ or - (no wildcards)',
    ).default('rrr'),
  });

  const loggingSchema = sectionField({
    level: enumField(LOG_LEVELS).default('info'),
  });

  const riskSchema = sectionField({
    maxPositionPct: fractionField().default(0.2),
    maxOpenPositions: integerField(1, 10_000).default(10),
    dailyLossLimitPct: fractionField().default(0.05),
    dailyLossWarnPct: fractionField().default(0.03),
    weeklyLossLimitPct: fractionField().default(0.1),
    monthlyLossLimitPct: fractionField().default(0.2),
    maxDrawdownPct: fractionField().default(0.15),
    maxLeverage: numberField(0, 100, { minExclusive: true }).default(2),
    maxConcentrationPct: fractionField().default(0.3),
    maxVar95Pct: fractionField().default(0.1),
    // Annualised volatility; crypto routinely exceeds 100 %, so this is not a fraction of 1.
    maxVolatility: numberField(0, 10, { minExclusive: true }).default(0.25),
    /** Fat-finger guard in quote currency, independent of equity; the legacy system had none. */
    maxOrderNotional: positiveNumberField().default(1_000_000),
    /** An alert is CRITICAL once the measured value exceeds this multiple of its limit. */
    criticalMultiplier: numberField(1, 10, { minExclusive: true }).default(1.5),
    alertCooldownMs: integerField(0, 24 * 60 * MINUTE_MS).default(15 * MINUTE_MS),
    circuitBreakerResetUtc: patternField(/^([01]\d|2[0-3]):[0-5]\d$/, 'a UTC time of day HH:MM').default('00:00'),
  }).superRefine((risk, ctx) => {
    requireOrdered(risk, ctx, { section: 'risk', low: 'dailyLossWarnPct', high: 'dailyLossLimitPct' });
    requireOrdered(risk, ctx, { section: 'risk', low: 'dailyLossLimitPct', high: 'weeklyLossLimitPct' });
    requireOrdered(risk, ctx, { section: 'risk', low: 'weeklyLossLimitPct', high: 'monthlyLossLimitPct' });
  });

  const paperSchema = sectionField({
    takerFeeRate: numberField(0, 0.1).default(0.001),
    // Negative maker fees are rebates, which some venues pay.
    makerFeeRate: numberField(-0.01, 0.1).default(0.001),
    slippageBps: numberField(0, 1000).default(5),
    latencyMinMs: integerField(0, MINUTE_MS).default(10),
    latencyMaxMs: integerField(0, MINUTE_MS).default(50),
    initialCash: positiveNumberField().default(100_000),
    quoteCurrency: patternField(/^[A-Z]{3,5}$/, 'an upper-case currency code such as USD or USDT').default(
      DEFAULT_QUOTE_CURRENCY,
    ),
  }).superRefine((paper, ctx) => {
    requireOrdered(paper, ctx, { section: 'paper', low: 'latencyMinMs', high: 'latencyMaxMs' });
  });

  const tradingSchema = sectionField({
    /**
     * Where orders go: `paper` simulates fills on the live data; an exchange receives real orders through
     * api-integration's client, signed with that exchange's credentials from the environment.
     */
    venue: enumField(TRADING_VENUES).default('paper'),
    /** The explicit confirmation a real venue needs: orders there spend real money. */
    live: booleanField().default(false),
    /**
     * On an exchange, the amount of the account currency (paper.quoteCurrency) the engine trades with: its ledger
     * opens with it and risk measures its limits against it, so the rest of the account is left alone. Required
     * there; the paper venue trades paper.initialCash and ignores it.
     */
    capital: positiveNumberField().optional(),
  });

  const backtestSchema = sectionField({
    initialCapital: positiveNumberField().default(100_000),
    commissionRate: numberField(0, 0.1).default(0.001),
    slippageBps: numberField(0, 1000).default(5),
  });

  // The domain's symbol grammar, so that configured symbols are ones the rest of the platform accepts.
  const symbolExpectation = 'a symbol such as BTC-USD (3-20 of A-Z, 0-9, at most one - or /)';
  const symbolSchema = loadZod()
    .string({ error: symbolExpectation })
    .refine(isValidSymbol, { error: symbolExpectation });

  const dataSchema = sectionField({
    symbols: listField(symbolSchema, 'a non-empty list of symbols', 1).default(() => [
      'SPX',
      'AAPL',
      'BTC-USD',
      'ETH-USD',
    ]),
    /**
     * Where the live pairs' data comes from: the seeded synthetic market, or an exchange's public trade stream and
     * candles (real prices; no credentials needed to read them). Paper trading runs on whichever it is.
     */
    liveSource: enumField(LIVE_SOURCES).default('synthetic'),
    // 32 bits: what the seeded generators consume.
    syntheticSeed: integerField(0, 4_294_967_295).default(42),
    /** Time between two ticks of the synthetic live feed, in real milliseconds. */
    liveTickMs: integerField(1, MINUTE_MS).default(1000),
    /**
     * Simulated time per real time of the synthetic live feed: 1 is real time; 60 makes a one-minute bar every second
     * (demos, end-to-end tests). The feed's timestamps then run ahead of the wall clock.
     */
    liveSpeed: numberField(1, 100_000).default(1),
    /**
     * Bars of history per symbol the live feed stores before it goes live — generated by the synthetic market, or the
     * exchange's candles when `liveSource` is one (a restarted feed adds only those after its last stored bar):
     * charts and strategies have a past at once. 0: none.
     */
    liveHistoryBars: integerField(0, 100_000).default(500),
  });

  const modelsSchema = sectionField({
    /** Trained model files (model.json + weights.bin per version); versions and metrics live in ml_models. */
    dir: patternField(/\S/, 'a folder path').default('data/models'),
  });

  const secretField = () => patternField(/^\S+$/, 'a non-empty string without whitespace').optional();

  /** Credentials. Accepted only from environment variables (see `loadConfig`), never logged (see `redactConfig`). */
  const secretsSchema = sectionField({
    polygonApiKey: secretField(),
    coinbaseApiKey: secretField(),
    coinbaseSecret: secretField(),
    binanceApiKey: secretField(),
    binanceSecret: secretField(),
  });

  /** `all`, or the name of a platform service (`data-pipeline`, `trading-engine`, `api` …). */
  const serviceNameSchema = patternField(
    /^(all|[a-z][a-z0-9]*(-[a-z0-9]+)*)$/,
    'all, or a service name such as data-pipeline',
  );

  return loadZod()
    .strictObject(
      {
        env: enumField(PLATFORM_ENVIRONMENTS).default('development'),
        /**
         * Services this process runs (scale-out: one process per group, sharing a NATS bus and a PostgreSQL database).
         * The database and the event bus always run; names are checked against the platform's services at start.
         */
        services: listField(serviceNameSchema, 'a non-empty list of service names (or all)', 1).default(() => ['all']),
        server: serverSchema.prefault({}),
        database: databaseSchema.prefault({}),
        bus: busSchema.prefault({}),
        logging: loggingSchema.prefault({}),
        risk: riskSchema.prefault({}),
        paper: paperSchema.prefault({}),
        trading: tradingSchema.prefault({}),
        backtest: backtestSchema.prefault({}),
        data: dataSchema.prefault({}),
        models: modelsSchema.prefault({}),
        secrets: secretsSchema.prefault({}),
      },
      { error: 'a mapping of settings' },
    )
    .superRefine((config, ctx) => {
      const venue = config.trading.venue;
      if (venue === 'paper') return;
      // Both problems name trading.venue with its value and source, as requireOrdered does for its pair.
      const related = { relatedPath: 'trading.venue', relatedValue: venue };
      if (config.trading.live !== true) {
        ctx.addIssue({
          code: 'custom',
          path: ['trading', 'live'],
          message: 'true when trading.venue is an exchange',
          params: related,
          input: config.trading.live,
        });
      }
      if (config.trading.capital === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['trading', 'capital'],
          message: `an amount > 0 of ${config.paper.quoteCurrency} to trade with when trading.venue is an exchange`,
          params: related,
          input: config.trading.capital,
        });
      }
      // Marks, pre-trade risk and strategies must follow the prices of the venue the orders go to.
      if (config.data.liveSource !== venue) {
        ctx.addIssue({
          code: 'custom',
          path: ['data', 'liveSource'],
          message: 'the same exchange as trading.venue',
          params: related,
          input: config.data.liveSource,
        });
      }
      // The engine's clock runs at data.liveSpeed: real orders must carry real time (and DAY orders end on it).
      if (config.data.liveSpeed !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['data', 'liveSpeed'],
          message: '1 (real time) when trading.venue is an exchange',
          params: related,
          input: config.data.liveSpeed,
        });
      }
    });
}

let schema: ReturnType<typeof buildPlatformConfigSchema> | undefined;

/** The whole platform configuration. Every setting has a default, so `platformConfigSchema().parse({})` is a valid config. */
export function platformConfigSchema(): ReturnType<typeof buildPlatformConfigSchema> {
  schema ??= buildPlatformConfigSchema();
  return schema;
}

export type PlatformConfig = z.output<ReturnType<typeof buildPlatformConfigSchema>>;
export type PlatformSecrets = PlatformConfig['secrets'];
export type PlatformSecretKey = keyof PlatformSecrets;

/** The keys of the `secrets` section, in schema order (a spec checks them against the schema). */
export const PLATFORM_SECRET_KEYS = [
  'polygonApiKey',
  'coinbaseApiKey',
  'coinbaseSecret',
  'binanceApiKey',
  'binanceSecret',
] as const satisfies readonly PlatformSecretKey[];
