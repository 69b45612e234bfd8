import type { FastifyInstance } from 'fastify';
import { startApiTestServer, type ApiTestServer } from '../ws/testing/api-test-server';
import { NO_API_KEYS_MESSAGE, requiredScopeFor } from './api-security-plugin';

/** Stand-ins for routes other services will add: one per kind of protection. */
function testRoutes(app: FastifyInstance): void {
  app.post('/test/orders', async (request) => ({ ok: true, keyId: request.apiKey?.keyId }));
  app.delete('/test/orders/:id', async () => ({ cancelled: true }));
  app.post('/test/kill-switch', { config: { requiredScope: 'admin' } }, async () => ({ halted: true }));
  app.get('/test/positions', async () => ({ positions: [] }));
  app.get('/test/logged', async (request) => {
    // What a careless route might do: log the raw headers. The logger must censor the credentials.
    request.log.info({ headers: request.headers }, 'request headers');
    return { logged: true };
  });
}

async function call(
  server: ApiTestServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API security on mutating routes', () => {
  let server: ApiTestServer;
  let read: string;
  let trade: string;
  let tradeId: string;
  let admin: string;

  beforeAll(async () => {
    server = await startApiTestServer({ routes: testRoutes });
    read = (await server.apiKeys.create({ name: 'reader', scope: 'read' })).token;
    const created = await server.apiKeys.create({ name: 'bot', scope: 'trade' });
    trade = created.token;
    tradeId = created.key.id;
    admin = (await server.apiKeys.create({ name: 'ops', scope: 'admin' })).token;
  });

  afterAll(() => server.close());

  it('answers 401 in the error shape, with WWW-Authenticate, when a mutating route gets no key', async () => {
    const response = await call(server, 'POST', '/test/orders', {}, '{}');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: {
        code: 'UNAUTHORIZED',
        message: 'POST /test/orders needs an API key: send "Authorization: Bearer <key>" or "x-api-key: <key>"',
      },
    });
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="rrr"');
    expect((await call(server, 'DELETE', '/test/orders/7')).status).toBe(401);
  });

  it('accepts a trade key as a Bearer token or as x-api-key', async () => {
    expect(await call(server, 'POST', '/test/orders', bearer(trade), '{}')).toMatchObject({
      status: 200,
      body: { ok: true, keyId: tradeId },
    });
    expect(await call(server, 'POST', '/test/orders', { 'x-api-key': trade }, '{}')).toMatchObject({
      status: 200,
      body: { ok: true, keyId: tradeId },
    });
    expect((await call(server, 'DELETE', '/test/orders/7', { 'x-api-key': admin })).status).toBe(200);
  });

  it('answers 403 when the key scope is below what the route needs', async () => {
    const readKeyId = read.slice(4, 16);
    expect(await call(server, 'POST', '/test/orders', bearer(read), '{}')).toMatchObject({
      status: 403,
      body: {
        error: {
          code: 'FORBIDDEN',
          message: `POST /test/orders needs an API key with trade scope; key ${readKeyId} has read scope`,
          details: { keyId: readKeyId, scope: 'read', requiredScope: 'trade' },
        },
      },
    });
    expect((await call(server, 'POST', '/test/kill-switch', bearer(trade), '{}')).status).toBe(403);
    expect(await call(server, 'POST', '/test/kill-switch', bearer(admin), '{}')).toMatchObject({
      status: 200,
      body: { halted: true },
    });
  });

  it('refuses wrong, malformed and revoked keys with 401 — on GET routes too', async () => {
    const wrong = trade.slice(0, -2) + (trade.endsWith('AA') ? 'BB' : 'AA');
    expect(await call(server, 'POST', '/test/orders', bearer(wrong), '{}')).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'invalid API key' } },
    });
    expect(await call(server, 'GET', '/test/positions', bearer(wrong))).toMatchObject({ status: 401 });
    expect(await call(server, 'GET', '/health', { authorization: 'Basic eDp5' })).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'the Authorization header must be "Bearer <api key>"' } },
    });
    const doomed = await server.apiKeys.create({ name: 'doomed', scope: 'trade' });
    expect((await call(server, 'POST', '/test/orders', bearer(doomed.token), '{}')).status).toBe(200);
    await server.apiKeys.revoke(doomed.key.id);
    expect(await call(server, 'POST', '/test/orders', bearer(doomed.token), '{}')).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: `API key ${doomed.key.id} was revoked` } },
    });
  });

  it('keeps GET routes open without a key', async () => {
    expect(await call(server, 'GET', '/test/positions')).toMatchObject({ status: 200, body: { positions: [] } });
    expect((await call(server, 'GET', '/health')).status).toBe(200);
  });

  it('does not reveal unknown routes to callers without a key (401), and 404s them for callers with one', async () => {
    expect((await call(server, 'POST', '/nope', {}, '{}')).status).toBe(401);
    expect(await call(server, 'POST', '/nope', bearer(trade), '{}')).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'no route POST /nope' } },
    });
  });

  it('rejects malformed and oversized bodies with 4xx after authentication, and never reads them before it', async () => {
    expect(await call(server, 'POST', '/test/orders', bearer(trade), '{"side":')).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
    const huge = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) });
    expect(await call(server, 'POST', '/test/orders', bearer(trade), huge)).toMatchObject({
      status: 413,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
    expect((await call(server, 'POST', '/test/orders', {}, huge)).status).toBe(401);
    // The process is unaffected.
    expect((await call(server, 'GET', '/health')).status).toBe(200);
  });

  it('never writes a key to the log: credential headers are censored and failures name no secret', async () => {
    await call(server, 'GET', '/test/logged', { authorization: `Bearer ${trade}`, 'x-api-key': trade });
    await call(server, 'POST', '/test/orders', bearer(trade.slice(0, -1) + '0'), '{}');
    const line = server.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request headers');
    expect(line.headers.authorization).toBe('[redacted]');
    expect(line.headers['x-api-key']).toBe('[redacted]');
    expect(server.logs.some((l) => l.includes('api authentication failed'))).toBe(true);
    const secret = trade.slice(17);
    expect(server.logs.filter((l) => l.includes(secret.slice(0, 20)))).toEqual([]);
  });

  it('sends no CORS headers by default', async () => {
    const response = await call(server, 'GET', '/test/positions', { origin: 'https://evil.example' });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await call(server, 'OPTIONS', '/test/orders', {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(preflight.status).toBe(404);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('API security options', () => {
  let server: ApiTestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('logs how to create the first key when none exists', async () => {
    server = await startApiTestServer();
    const warning = server.logs.map((l) => JSON.parse(l)).find((l) => l.msg === NO_API_KEYS_MESSAGE);
    expect(warning).toMatchObject({ level: 'warn' });
    expect(NO_API_KEYS_MESSAGE).toContain('rrr api-key create --scope admin --name <name>');
  });

  it('does not warn about missing keys when one exists at start', async () => {
    server = await startApiTestServer({
      beforeStart: async (apiKeys) => {
        await apiKeys.create({ name: 'ops', scope: 'admin' });
      },
    });
    expect(server.logs.some((l) => l.includes('no active API keys'))).toBe(false);
  });

  it('requires a read key on GET routes when requireAuthForReads is set', async () => {
    server = await startApiTestServer({ security: { requireAuthForReads: true }, routes: testRoutes });
    const { token } = await server.apiKeys.create({ name: 'reader', scope: 'read' });
    expect(await call(server, 'GET', '/test/positions')).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED' } },
    });
    expect((await call(server, 'GET', '/test/positions', bearer(token))).status).toBe(200);
    expect((await call(server, 'POST', '/test/orders', bearer(token), '{}')).status).toBe(403);
  });

  it('allows only the configured CORS origins, on preflights and on error answers too', async () => {
    server = await startApiTestServer({ security: { corsOrigins: ['https://dash.example'] }, routes: testRoutes });
    const allowed = await call(server, 'GET', '/test/positions', { origin: 'https://dash.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    const other = await call(server, 'GET', '/test/positions', { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await call(server, 'OPTIONS', '/test/orders', {
      origin: 'https://dash.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, x-api-key, content-type');
    const refused = await call(server, 'POST', '/test/orders', { origin: 'https://dash.example' }, '{}');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://dash.example');
  });

  it('rate-limits per key and per IP, answering 429 RATE_LIMITED with Retry-After', async () => {
    server = await startApiTestServer({
      security: { rateLimit: { perKeyMax: 3, perIpMax: 2, windowMs: 60_000 } },
      routes: testRoutes,
    });
    const a = await server.apiKeys.create({ name: 'a', scope: 'trade' });
    const b = await server.apiKeys.create({ name: 'b', scope: 'trade' });

    expect((await call(server, 'GET', '/test/positions')).status).toBe(200);
    expect((await call(server, 'GET', '/test/positions')).status).toBe(200);
    const anonymous = await call(server, 'GET', '/test/positions');
    expect(anonymous.status).toBe(429);
    expect(anonymous.body).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/^rate limit "api client 127\.0\.0\.1" exceeded; retry in \d+ ms$/),
        details: { name: 'api client 127.0.0.1', retryAfterMs: expect.any(Number) },
      },
    });
    const retryAfter = Number(anonymous.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // A key has its own budget, separate from the IP's and from other keys'.
    for (let i = 0; i < 3; i++)
      expect((await call(server, 'POST', '/test/orders', bearer(a.token), '{}')).status).toBe(200);
    const limited = await call(server, 'POST', '/test/orders', bearer(a.token), '{}');
    expect(limited).toMatchObject({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', details: { name: `api key ${a.key.id}` } } },
    });
    expect((await call(server, 'POST', '/test/orders', bearer(b.token), '{}')).status).toBe(200);

    // Bad keys count against the IP, so guessing is throttled too.
    const guess = await call(server, 'POST', '/test/orders', bearer(a.token.slice(0, -1) + '0'), '{}');
    expect(guess.status).toBe(429);
  });

  it('names the scope a request needs', () => {
    expect(requiredScopeFor('POST', undefined, false)).toBe('trade');
    expect(requiredScopeFor('DELETE', 'public', false)).toBe('trade');
    expect(requiredScopeFor('PATCH', 'admin', false)).toBe('admin');
    expect(requiredScopeFor('GET', undefined, false)).toBeUndefined();
    expect(requiredScopeFor('GET', undefined, true)).toBe('read');
    expect(requiredScopeFor('GET', 'public', true)).toBeUndefined();
    expect(requiredScopeFor('GET', 'admin', false)).toBe('admin');
    expect(requiredScopeFor('OPTIONS', undefined, true)).toBeUndefined();
  });
});
