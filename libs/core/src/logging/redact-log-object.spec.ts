import { SECRET_CONFIG_PATHS } from '../config/secret-config-paths';
import { redactLogObject } from './redact-log-object';

describe('redactLogObject', () => {
  it('censors secret-looking keys at any depth, in any spelling, inside arrays too', () => {
    const input = {
      api_key: 'a',
      venues: [{ name: 'binance', credentials: { apiKey: 'b', apiSecret: 'c' } }],
      l1: { l2: { l3: { l4: { l5: { l6: { password: 'd', refresh_token: 'e', PrivateKey: 'f', keep: 1 } } } } } },
      headers: { Authorization: 'Bearer g', 'x-api-key': 'h', cookie: 'i', accept: 'json' },
    };
    expect(redactLogObject(input)).toEqual({
      api_key: '[redacted]',
      venues: [{ name: 'binance', credentials: { apiKey: '[redacted]', apiSecret: '[redacted]' } }],
      l1: {
        l2: {
          l3: {
            l4: {
              l5: { l6: { password: '[redacted]', refresh_token: '[redacted]', PrivateKey: '[redacted]', keep: 1 } },
            },
          },
        },
      },
      headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]', cookie: '[redacted]', accept: 'json' },
    });
  });

  it('censors every config secret path, and every value of any secrets section', () => {
    const secrets = Object.fromEntries(SECRET_CONFIG_PATHS.map((path) => [path.split('.')[1], `value-of-${path}`]));
    const redacted = redactLogObject({ config: { secrets: { ...secrets, futureVendorKey: 'z' } } });
    expect(redacted.config.secrets).toEqual(
      Object.fromEntries([...Object.keys(secrets), 'futureVendorKey'].map((key) => [key, '[redacted]'])),
    );
  });

  it('keeps unset secrets unset and masks only the password of URLs', () => {
    expect(
      redactLogObject({
        secrets: { polygonApiKey: undefined, binanceSecret: 'x' },
        database: { url: 'postgres://rrr:pw@db:5432/rrr' },
        natsUrl: 'nats://127.0.0.1:4222',
      }),
    ).toEqual({
      secrets: { polygonApiKey: undefined, binanceSecret: '[redacted]' },
      database: { url: 'postgres://rrr:[redacted]@db:5432/rrr' },
      natsUrl: 'nats://127.0.0.1:4222',
    });
  });

  it('never modifies its input and returns it as is when there is nothing to censor', () => {
    const clean = { order: { id: 'o1', qty: 2, fills: [{ price: 10 }] }, at: new Date(0) };
    expect(redactLogObject(clean)).toBe(clean);
    const dirty = { order: { id: 'o1' }, auth: { token: 't' } };
    const redacted = redactLogObject(dirty);
    expect(dirty.auth.token).toBe('t');
    expect(redacted.order).toBe(dirty.order);
    expect(redacted.auth).toEqual({ token: '[redacted]' });
  });

  it('leaves errors and toJSON objects to the serializer and stops on cycles', () => {
    const error = Object.assign(new Error('boom'), { token: 'kept for pino' });
    const at = new Date(0);
    expect(redactLogObject({ err: error, at })).toEqual({ err: error, at });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(redactLogObject(cyclic)).toBe(cyclic);
  });
});
