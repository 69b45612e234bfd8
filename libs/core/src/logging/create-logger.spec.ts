import { Writable } from 'node:stream';
import { loadConfig } from '../config/load-config';
import { childLogger, createLogger, type CreateLoggerOptions } from './create-logger';

function capture(options: Omit<CreateLoggerOptions, 'destination'> = { level: 'info' }) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  const logger = createLogger({ ...options, destination });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('createLogger', () => {
  it('writes JSON lines with the level label, epoch-ms time, name and message', () => {
    const { logger, records } = capture({ level: 'info', name: 'rrr' });
    const before = Date.now();
    logger.info({ orders: 3 }, 'started');
    logger.debug('not written below the level');
    const [record] = records();
    expect(records()).toHaveLength(1);
    expect(record).toMatchObject({ level: 'info', name: 'rrr', orders: 3, msg: 'started' });
    expect(record['time']).toBeGreaterThanOrEqual(before);
    expect(record['time']).toBeLessThanOrEqual(Date.now());
  });

  it('censors secret-looking keys at every depth we log, and auth headers', () => {
    const { logger, lines, records } = capture();
    logger.info(
      {
        apiKey: 'k0',
        exchange: { apiKey: 'k1', secret: 's1', name: 'binance' },
        client: { auth: { password: 'p2', token: 't2', user: 'ann' } },
        a: { b: { c: { passphrase: 'pp3' } } },
        req: { method: 'GET', headers: { authorization: 'Bearer abc', 'x-api-key': 'xk', accept: 'json' } },
      },
      'request',
    );
    const [record] = records();
    expect(record).toMatchObject({
      apiKey: '[redacted]',
      exchange: { apiKey: '[redacted]', secret: '[redacted]', name: 'binance' },
      client: { auth: { password: '[redacted]', token: '[redacted]', user: 'ann' } },
      a: { b: { c: { passphrase: '[redacted]' } } },
      req: { method: 'GET', headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'json' } },
    });
    expect(lines.join('\n')).not.toMatch(/k0|k1|s1|p2|t2|pp3|Bearer|xk/);
  });

  it('censors the config secrets whether the config is logged whole or nested, and masks the database password', () => {
    const { logger, lines, records } = capture();
    const config = loadConfig({
      env: { POLYGON_API_KEY: 'pk-live', RRR_DATABASE_URL: 'postgres://rrr:pw-db@db:5432/rrr' },
      configDir: '/nonexistent/rrr-config',
    });
    logger.info({ config }, 'config');
    logger.info(config, 'config at top level');
    const [nested, top] = records();
    expect(nested['config']).toMatchObject({
      secrets: { polygonApiKey: '[redacted]' },
      database: { url: 'postgres://rrr:[redacted]@db:5432/rrr' },
      server: { port: 3000 },
    });
    expect((nested['config'] as { secrets: object }).secrets).not.toHaveProperty('binanceSecret');
    expect(top).toMatchObject({
      secrets: { polygonApiKey: '[redacted]' },
      database: { url: 'postgres://rrr:[redacted]@db:5432/rrr' },
    });
    expect(lines.join('\n')).not.toMatch(/pk-live|pw-db/);
  });

  it('serializes errors under err or error with their fields censored', () => {
    const { logger, lines, records } = capture();
    const failure = Object.assign(new Error('venue rejected'), { code: 'VENUE', details: { apiKey: 'k-err' } });
    logger.error({ err: failure }, 'order failed');
    logger.error({ error: failure }, 'order failed again');
    for (const record of records()) {
      const serialized = (record['err'] ?? record['error']) as Record<string, unknown>;
      expect(serialized).toMatchObject({
        type: 'Error',
        message: 'venue rejected',
        code: 'VENUE',
        details: { apiKey: '[redacted]' },
      });
      expect(serialized['stack']).toContain('venue rejected');
    }
    expect(records()).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('k-err');
  });

  it('accepts extra paths to censor', () => {
    const { logger, records } = capture({ level: 'info', redact: ['order.account'] });
    logger.info({ order: { account: 'acc-9', qty: 1 } }, 'order');
    expect(records()[0]).toMatchObject({ order: { account: '[redacted]', qty: 1 } });
  });
});

describe('childLogger', () => {
  it('binds the service, keeps redaction and the level, and is one per service', () => {
    const { logger, records } = capture({ level: 'warn' });
    const risk = childLogger(logger, 'risk-management');
    expect(childLogger(logger, 'risk-management')).toBe(risk);
    expect(childLogger(logger, 'trading-engine')).not.toBe(risk);

    risk.info('below the parent level');
    risk.warn({ exchange: { apiKey: 'k' } }, 'limit near');
    childLogger(logger, 'trading-engine').error('rejected');
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'warn',
        service: 'risk-management',
        exchange: { apiKey: '[redacted]' },
        msg: 'limit near',
      }),
      expect.objectContaining({ level: 'error', service: 'trading-engine', msg: 'rejected' }),
    ]);
  });
});
