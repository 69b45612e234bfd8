import { loadConfig } from './load-config';
import { maskUrlCredentials } from './mask-url-credentials';
import { redactConfig } from './redact-config';
import { SECRET_CONFIG_PATHS } from './secret-config-paths';

describe('redactConfig', () => {
  const config = loadConfig({
    env: {
      POLYGON_API_KEY: 'pk-123',
      RRR_SECRETS_BINANCE_SECRET: 'bs-456',
      RRR_DATABASE_URL: 'postgresql://rrr:s3cret@db.internal:5432/rrr?sslmode=require',
    },
    configDir: '/nonexistent/rrr-config',
  });

  it('lists every secret path', () => {
    expect(SECRET_CONFIG_PATHS).toEqual([
      'secrets.polygonApiKey',
      'secrets.coinbaseApiKey',
      'secrets.coinbaseSecret',
      'secrets.binanceApiKey',
      'secrets.binanceSecret',
    ]);
  });

  it('replaces set secrets, leaves unset ones undefined and masks the database password', () => {
    const redacted = redactConfig(config);
    expect(redacted.secrets).toEqual({ polygonApiKey: '[redacted]', binanceSecret: '[redacted]' });
    expect(redacted.database.url).toBe('postgresql://rrr:[redacted]@db.internal:5432/rrr?sslmode=require');
    expect(redacted.server).toEqual(config.server);
    expect(JSON.stringify(redacted)).not.toMatch(/pk-123|bs-456|s3cret/);
  });

  it('copies: the frozen original keeps its secrets and the copy is independent', () => {
    const redacted = redactConfig(config);
    expect(config.secrets.polygonApiKey).toBe('pk-123');
    expect(config.database.url).toContain('s3cret');
    redacted.data.symbols.push('SOL-USD');
    expect(config.data.symbols).not.toContain('SOL-USD');
  });
});

describe('maskUrlCredentials', () => {
  it('masks only the password', () => {
    expect(maskUrlCredentials('postgres://u:p%40ss@h:5432/db')).toBe('postgres://u:[redacted]@h:5432/db');
    expect(maskUrlCredentials('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(maskUrlCredentials('not a url')).toBe('not a url');
  });
});
