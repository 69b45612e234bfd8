import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import { defaultPlatformConfig } from './default-platform-config';
import { configEnvVarNames, loadConfig, type LoadConfigOptions } from './load-config';

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'rrr-config-'));
  mkdirSync(join(cwd, 'config'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function writeYaml(environment: string, text: string): void {
  writeFileSync(join(cwd, 'config', `${environment}.yaml`), text);
}

function load(options: LoadConfigOptions = {}) {
  return loadConfig({ env: {}, cwd, ...options });
}

function configError(options: LoadConfigOptions): ConfigError {
  try {
    load(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig defaults', () => {
  it('starts with no file and no environment variables, using the legacy defaults', () => {
    const config = load();
    expect(config).toEqual(defaultPlatformConfig());
    expect(config.env).toBe('development');
    expect(config.server).toEqual({ host: '127.0.0.1', port: 3000, corsOrigins: [] });
    expect(config.database).toEqual({ sqlitePath: 'data/rrr.db', busyTimeoutMs: 5000, poolMax: 10 });
    expect(config.services).toEqual(['all']);
    expect(config.bus).toEqual({ kind: 'memory', natsUrl: 'nats://127.0.0.1:4222', stream: 'RRR', prefix: 'rrr' });
    expect(config.risk).toMatchObject({
      maxPositionPct: 0.2,
      maxOpenPositions: 10,
      dailyLossLimitPct: 0.05,
      dailyLossWarnPct: 0.03,
      weeklyLossLimitPct: 0.1,
      monthlyLossLimitPct: 0.2,
      maxDrawdownPct: 0.15,
      maxLeverage: 2,
      maxConcentrationPct: 0.3,
      maxVar95Pct: 0.1,
      maxVolatility: 0.25,
      criticalMultiplier: 1.5,
      alertCooldownMs: 900_000,
      circuitBreakerResetUtc: '00:00',
    });
    expect(config.paper).toEqual({
      takerFeeRate: 0.001,
      makerFeeRate: 0.001,
      slippageBps: 5,
      latencyMinMs: 10,
      latencyMaxMs: 50,
      initialCash: 100_000,
      quoteCurrency: 'USD',
    });
    expect(config.trading).toEqual({ venue: 'paper', live: false });
    expect(config.backtest).toEqual({ initialCapital: 100_000, commissionRate: 0.001, slippageBps: 5 });
    expect(config.data).toEqual({
      symbols: ['SPX', 'AAPL', 'BTC-USD', 'ETH-USD'],
      liveSource: 'synthetic',
      syntheticSeed: 42,
      liveTickMs: 1000,
      liveSpeed: 1,
      liveHistoryBars: 500,
    });
    expect(config.secrets).toEqual({});
  });

  it('returns a deep-frozen config and leaves the caller’s overrides mutable', () => {
    const overrides = { data: { symbols: ['BTC-USD'] } };
    const config = load({ overrides });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.data.symbols)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => (config.data.symbols as string[]).push('X')).toThrow('not extensible');
    expect(Object.isFrozen(overrides.data.symbols)).toBe(false);
  });
});

describe('loadConfig layering', () => {
  beforeEach(() => {
    writeYaml(
      'development',
      'server:\n  port: 4000\n  host: 0.0.0.0\nrisk:\n  maxPositionPct: 0.1\nbus:\n  stream: FILE\n',
    );
  });

  it('lets the YAML file beat the defaults', () => {
    const config = load();
    expect(config.server).toEqual({ host: '0.0.0.0', port: 4000, corsOrigins: [] });
    expect(config.risk.maxPositionPct).toBe(0.1);
    expect(config.risk.maxOpenPositions).toBe(10);
  });

  it('lets RRR_* variables beat the file, key by key', () => {
    const config = load({ env: { RRR_SERVER_PORT: '5000', RRR_BUS_STREAM: 'ENV' } });
    expect(config.server.port).toBe(5000);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.bus.stream).toBe('ENV');
    expect(config.risk.maxPositionPct).toBe(0.1);
  });

  it('lets overrides beat the environment variables', () => {
    const config = load({
      env: { RRR_SERVER_PORT: '5000', RRR_BUS_STREAM: 'ENV' },
      overrides: { server: { port: 6000 }, risk: { maxOpenPositions: 3 } },
    });
    expect(config.server.port).toBe(6000);
    expect(config.bus.stream).toBe('ENV');
    expect(config.risk).toMatchObject({ maxPositionPct: 0.1, maxOpenPositions: 3 });
  });

  it('keeps the lower layer where an override is undefined and treats YAML nulls and empty variables as unset', () => {
    writeYaml('development', 'server:\n  port: 4000\nrisk:\n  # everything commented out\npaper:\n  slippageBps: ~\n');
    const config = load({ env: { RRR_SERVER_HOST: '' }, overrides: { server: { port: undefined } } });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 4000, corsOrigins: [] });
    expect(config.paper.slippageBps).toBe(5);
  });

  it('reads the file named after the environment: option > RRR_ENV > NODE_ENV > development', () => {
    writeYaml('test', 'server:\n  port: 4001\n');
    writeYaml('production', 'server:\n  port: 4002\n');
    expect(load().server.port).toBe(4000);
    expect(load({ env: { NODE_ENV: 'test' } })).toMatchObject({ env: 'test', server: { port: 4001 } });
    expect(load({ env: { NODE_ENV: 'test', RRR_ENV: 'production' } })).toMatchObject({
      env: 'production',
      server: { port: 4002 },
    });
    expect(load({ env: { RRR_ENV: 'production' }, environment: 'test' })).toMatchObject({
      env: 'test',
      server: { port: 4001 },
    });
  });

  it('lets the file of a custom environment map it onto a known one', () => {
    writeYaml('staging', 'env: production\nserver:\n  port: 4003\n');
    expect(load({ env: { RRR_ENV: 'staging' } })).toMatchObject({ env: 'production', server: { port: 4003 } });
  });

  it('reads the directory given as configDir', () => {
    const other = join(cwd, 'elsewhere');
    mkdirSync(other);
    writeFileSync(join(other, 'development.yaml'), 'server:\n  port: 4100\n');
    expect(load({ configDir: other }).server.port).toBe(4100);
  });
});

describe('environment variables', () => {
  it('derives one RRR_* name per key from the schema, plus the conventional secret names', () => {
    const vars = configEnvVarNames();
    const byName = new Map(vars.map((v) => [v.name, v]));
    expect(byName.get('RRR_DATABASE_URL')).toMatchObject({ path: 'database.url', kind: 'string', secret: false });
    expect(byName.get('RRR_SERVER_PORT')).toMatchObject({ path: 'server.port', kind: 'number' });
    expect(byName.get('RRR_RISK_MAX_POSITION_PCT')).toMatchObject({ path: 'risk.maxPositionPct', kind: 'number' });
    expect(byName.get('RRR_RISK_MAX_VAR95_PCT')).toMatchObject({ path: 'risk.maxVar95Pct' });
    expect(byName.get('RRR_TRADING_CAPITAL')).toMatchObject({ path: 'trading.capital', kind: 'number' });
    expect(byName.get('RRR_SERVER_CORS_ORIGINS')).toMatchObject({ kind: 'list', itemKind: 'string' });
    expect(byName.get('RRR_SECRETS_POLYGON_API_KEY')).toMatchObject({
      path: 'secrets.polygonApiKey',
      secret: true,
      alias: false,
    });
    expect(vars.filter((v) => v.alias).map((v) => [v.name, v.path])).toEqual([
      ['POLYGON_API_KEY', 'secrets.polygonApiKey'],
      ['COINBASE_API_KEY', 'secrets.coinbaseApiKey'],
      ['COINBASE_SECRET', 'secrets.coinbaseSecret'],
      ['BINANCE_API_KEY', 'secrets.binanceApiKey'],
      ['BINANCE_SECRET', 'secrets.binanceSecret'],
    ]);
    // One variable per leaf of the defaults, plus the keys that default to unset (database.url, trading.capital and
    // the 5 secrets).
    const leaves = (value: unknown): number =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.values(value).reduce((sum: number, child) => sum + leaves(child), 0)
        : 1;
    expect(vars.filter((v) => !v.alias)).toHaveLength(leaves(defaultPlatformConfig()) + 7);
  });

  it('coerces numbers, comma-separated lists and strings per schema type', () => {
    const config = load({
      env: {
        RRR_SERVER_PORT: ' 8080 ',
        RRR_RISK_MAX_POSITION_PCT: '0.25',
        RRR_RISK_ALERT_COOLDOWN_MS: '6e4',
        RRR_PAPER_MAKER_FEE_RATE: '-0.0002',
        RRR_SERVER_CORS_ORIGINS: 'http://localhost:5173, https://dash.example.com',
        RRR_DATA_SYMBOLS: 'BTC-USD,ETH-USD,,',
        RRR_BUS_KIND: 'nats',
        RRR_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        RRR_SERVICES: 'data-pipeline, monitoring',
        RRR_BUS_PREFIX: 'rrr.blue',
        RRR_DATA_LIVE_SPEED: '600',
      },
    });
    expect(config.server.port).toBe(8080);
    expect(config.services).toEqual(['data-pipeline', 'monitoring']);
    expect(config.bus.prefix).toBe('rrr.blue');
    expect(config.data.liveSpeed).toBe(600);
    expect(config.risk.maxPositionPct).toBe(0.25);
    expect(config.risk.alertCooldownMs).toBe(60_000);
    expect(config.paper.makerFeeRate).toBe(-0.0002);
    expect(config.server.corsOrigins).toEqual(['http://localhost:5173', 'https://dash.example.com']);
    expect(config.data.symbols).toEqual(['BTC-USD', 'ETH-USD']);
    expect(config.bus.kind).toBe('nats');
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('reads secrets from RRR_SECRETS_* or the conventional names, the RRR_ name winning', () => {
    const config = load({
      env: {
        POLYGON_API_KEY: 'poly-conventional',
        RRR_SECRETS_POLYGON_API_KEY: 'poly-rrr',
        BINANCE_SECRET: 'bin-secret',
      },
    });
    expect(config.secrets).toEqual({ polygonApiKey: 'poly-rrr', binanceSecret: 'bin-secret' });
  });

  it('rejects an RRR_* variable that names no key, suggesting the likely one, but accepts RRR_ENV', () => {
    const error = configError({ env: { RRR_SERVER_PROT: '8080', RRR_ENV: 'development' } });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      'invalid configuration: RRR_SERVER_PROT: unknown configuration variable; did you mean RRR_SERVER_PORT?',
    );
    expect(error.problems).toEqual([
      { field: 'RRR_SERVER_PROT', message: 'unknown configuration variable; did you mean RRR_SERVER_PORT?' },
    ]);
  });

  it('names a value that does not coerce exactly as received', () => {
    const error = configError({ env: { RRR_SERVER_PORT: 'abc' } });
    expect(error.message).toBe(
      'invalid configuration: server.port: expected an integer 0..65535, got "abc" (from env RRR_SERVER_PORT)',
    );
    expect(error.problems).toEqual([
      {
        field: 'server.port',
        message: 'expected an integer 0..65535, got "abc" (from env RRR_SERVER_PORT)',
        value: 'abc',
      },
    ]);
  });
});

describe('config errors', () => {
  it('rejects an unknown key in the YAML file, naming the file', () => {
    writeYaml('production', 'server:\n  prot: 8080\nsevrer: {}\n');
    const error = configError({ environment: 'production' });
    expect(error.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'server.prot: unknown key; did you mean port? (from config/production.yaml)',
      'sevrer: unknown key; did you mean server? (from config/production.yaml)',
    ]);
  });

  it('refuses a secret in the YAML file or in overrides without echoing it', () => {
    writeYaml('production', 'secrets:\n  polygonApiKey: pk-live-123\n');
    const error = configError({ environment: 'production', overrides: { secrets: { binanceSecret: 'bs-456' } } });
    expect(error.message).toBe(
      'invalid configuration: ' +
        'secrets.polygonApiKey: secrets are accepted only from environment variables ' +
        '(set RRR_SECRETS_POLYGON_API_KEY or POLYGON_API_KEY), found in config/production.yaml; ' +
        'secrets.binanceSecret: secrets are accepted only from environment variables ' +
        '(set RRR_SECRETS_BINANCE_SECRET or BINANCE_SECRET), found in override',
    );
    expect(error.problems.map((p) => p.value)).toEqual(['[redacted]', '[redacted]']);
    expect(JSON.stringify(error.toJSON())).not.toMatch(/pk-live-123|bs-456/);
  });

  it('redacts an invalid secret from the environment', () => {
    const error = configError({ env: { BINANCE_API_KEY: 'has a space' } });
    expect(error.message).toBe(
      'invalid configuration: secrets.binanceApiKey: expected a non-empty string without whitespace, ' +
        'got [redacted] (from env BINANCE_API_KEY)',
    );
    expect(JSON.stringify(error.toJSON())).not.toContain('has a space');
  });

  it('reports every problem from every layer in one error', () => {
    writeYaml('development', 'paper:\n  takerFeeRate: 0.5\n  quoteCurrency: usd\n');
    const error = configError({
      env: { RRR_SERVER_PORT: '70000', RRR_DATA_SYMBOLS: 'BTC-USD,btc', RRR_DATA_LIVE_SOURCE: 'kraken' },
      overrides: { logging: { level: 'verbose' as never }, risk: { maxPositionPct: 0 } },
    });
    expect(error.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'server.port: expected an integer 0..65535, got 70000 (from env RRR_SERVER_PORT)',
      'logging.level: expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "verbose" (from override)',
      'risk.maxPositionPct: expected a fraction in (0, 1], got 0 (from override)',
      'paper.takerFeeRate: expected a number in [0, 0.1], got 0.5 (from config/development.yaml)',
      'paper.quoteCurrency: expected an upper-case currency code such as USD or USDT, got "usd" (from config/development.yaml)',
      'data.symbols[1]: expected a symbol such as BTC-USD (3-20 of A-Z, 0-9, at most one - or /), got "btc" (from env RRR_DATA_SYMBOLS)',
      'data.liveSource: expected one of "synthetic", "binance", "coinbase", got "kraken" (from env RRR_DATA_LIVE_SOURCE)',
    ]);
  });

  it('names both fields, their values and sources when two settings contradict each other', () => {
    writeYaml('development', 'paper:\n  latencyMinMs: 60\n');
    expect(configError({}).problems).toEqual([
      {
        field: 'paper.latencyMinMs',
        message: 'expected at most paper.latencyMaxMs (50, from defaults), got 60 (from config/development.yaml)',
        value: 60,
      },
    ]);
    writeYaml('development', '');
    expect(configError({ env: { RRR_RISK_DAILY_LOSS_WARN_PCT: '0.06' } }).message).toBe(
      'invalid configuration: risk.dailyLossWarnPct: expected at most risk.dailyLossLimitPct (0.05, from defaults), ' +
        'got 0.06 (from env RRR_RISK_DAILY_LOSS_WARN_PCT)',
    );
  });

  it('refuses a real venue without trading.live: true or with another exchange as data.liveSource', () => {
    expect(
      configError({ overrides: { trading: { venue: 'binance', capital: 20_000 }, data: { liveSource: 'binance' } } })
        .message,
    ).toBe(
      'invalid configuration: trading.live: expected true when trading.venue is an exchange ' +
        '("binance", from override), got nothing (from defaults)',
    );
    writeYaml('development', 'trading:\n  venue: coinbase\n  live: false\n  capital: 5000\n');
    expect(configError({ env: { RRR_DATA_LIVE_SOURCE: 'binance' } }).problems).toEqual([
      {
        field: 'trading.live',
        message:
          'expected true when trading.venue is an exchange ("coinbase", from config/development.yaml), ' +
          'got false (from config/development.yaml)',
        value: false,
      },
      {
        field: 'data.liveSource',
        message:
          'expected the same exchange as trading.venue ("coinbase", from config/development.yaml), ' +
          'got "binance" (from env RRR_DATA_LIVE_SOURCE)',
        value: 'binance',
      },
    ]);
    writeYaml('development', '');
    expect(
      configError({
        env: { RRR_TRADING_VENUE: 'binance', RRR_TRADING_LIVE: 'true', RRR_TRADING_CAPITAL: '20000' },
      }).problems.map((p) => p.field),
    ).toEqual(['data.liveSource']);
    expect(
      configError({
        env: { RRR_TRADING_VENUE: 'binance', RRR_TRADING_LIVE: 'true', RRR_DATA_LIVE_SOURCE: 'binance' },
        overrides: { data: { liveSpeed: 60 }, trading: { capital: 20_000 } },
      }).message,
    ).toBe(
      'invalid configuration: data.liveSpeed: expected 1 (real time) when trading.venue is an exchange ' +
        '("binance", from env RRR_TRADING_VENUE), got 60 (from override)',
    );
    expect(configError({ env: { RRR_TRADING_VENUE: 'kraken', RRR_TRADING_LIVE: 'yes' } }).problems).toEqual([
      {
        field: 'trading.venue',
        message: 'expected one of "paper", "binance", "coinbase", got "kraken" (from env RRR_TRADING_VENUE)',
        value: 'kraken',
      },
      { field: 'trading.live', message: 'expected true or false, got "yes" (from env RRR_TRADING_LIVE)', value: 'yes' },
    ]);
  });

  it('accepts a real venue confirmed live on its own prices, with its capital, from the environment', () => {
    const config = load({
      env: {
        RRR_TRADING_VENUE: 'binance',
        RRR_TRADING_LIVE: 'true',
        RRR_DATA_LIVE_SOURCE: 'binance',
        RRR_TRADING_CAPITAL: '20000',
      },
    });
    expect(config.trading).toEqual({ venue: 'binance', live: true, capital: 20_000 });
    expect(config.data.liveSource).toBe('binance');
    // live: true on the paper venue confirms nothing and is harmless.
    expect(load({ overrides: { trading: { live: true } } }).trading).toEqual({ venue: 'paper', live: true });
  });

  it('requires trading.capital, a positive amount of the account currency, when trading.venue is an exchange', () => {
    const live = { RRR_TRADING_VENUE: 'binance', RRR_TRADING_LIVE: 'true', RRR_DATA_LIVE_SOURCE: 'binance' };
    expect(configError({ env: live }).problems).toEqual([
      {
        field: 'trading.capital',
        message:
          'expected an amount > 0 of USD to trade with when trading.venue is an exchange ' +
          '("binance", from env RRR_TRADING_VENUE), got nothing (from defaults)',
      },
    ]);
    // The account currency the amount is counted in is the one the config names.
    expect(configError({ env: { ...live, RRR_PAPER_QUOTE_CURRENCY: 'USDT' } }).problems[0]?.message).toContain(
      'expected an amount > 0 of USDT to trade with',
    );
    expect(configError({ env: { ...live, RRR_TRADING_CAPITAL: '0' } }).problems).toEqual([
      {
        field: 'trading.capital',
        message: 'expected a number > 0, got 0 (from env RRR_TRADING_CAPITAL)',
        value: 0,
      },
    ]);
    writeYaml('development', 'trading:\n  capital: -250\n');
    expect(configError({ env: live }).message).toBe(
      'invalid configuration: trading.capital: expected a number > 0, got -250 (from config/development.yaml)',
    );
  });

  it('ignores trading.capital on the paper venue, which trades paper.initialCash', () => {
    const config = load({ env: { RRR_TRADING_CAPITAL: '20000' } });
    expect(config.trading).toEqual({ venue: 'paper', live: false, capital: 20_000 });
    expect(config.paper.initialCash).toBe(100_000);
    expect(load().trading.capital).toBeUndefined();
  });

  it('names the file, line and column of a YAML syntax error', () => {
    writeYaml('development', 'server:\n  port: 3000\n  host: [a\n');
    expect(configError({}).message).toBe(
      'invalid configuration: config/development.yaml: YAML syntax error at line 4, column 1: ' +
        'Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
  });

  it('rejects a YAML file that is not a mapping and a section that is not one', () => {
    writeYaml('development', '- port: 1\n');
    expect(configError({}).message).toBe(
      'invalid configuration: config/development.yaml: expected a mapping of settings at the top level, got a list',
    );
    writeYaml('development', 'server: 8080\n');
    expect(configError({}).message).toBe(
      'invalid configuration: server: expected a mapping of settings, got 8080 (from config/development.yaml)',
    );
  });

  it('masks the password of a database URL it rejects', () => {
    const error = configError({ env: { RRR_DATABASE_URL: 'mysql://app:hunter2@db/rrr' } });
    expect(error.message).toBe(
      'invalid configuration: database.url: expected a postgres:// or postgresql:// URL, ' +
        'got "mysql://app:[redacted]@db/rrr" (from env RRR_DATABASE_URL)',
    );
  });

  it('rejects an environment name that is not a plain file name, and one with no meaning', () => {
    expect(configError({ env: { RRR_ENV: '../secrets' } }).message).toBe(
      'invalid configuration: env: expected an environment name of letters, digits, _ and -, got "../secrets" (from env RRR_ENV)',
    );
    expect(configError({ environment: 'staging' }).message).toBe(
      'invalid configuration: env: expected one of "development", "test", "production", got "staging" (from option environment)',
    );
  });
});
