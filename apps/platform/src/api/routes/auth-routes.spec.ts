import { ManualClock } from '@rrr/core';
import type { ApiKeyScope, CreatedApiKey } from '../../security';
import { startApiTestServer, type ApiTestServer } from '../../ws/testing/api-test-server';

const T0 = Date.UTC(2024, 0, 2, 10);
const MINUTE = 60_000;
const KEY_ROUTE = '/api/v1/auth/key';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

describe('GET /api/v1/auth/key on the real API server', () => {
  const clock = new ManualClock(T0);
  let server: ApiTestServer;
  const keys = {} as Record<ApiKeyScope, CreatedApiKey>;

  beforeAll(async () => {
    // Reads stay open (the default): the route must still ask for a key.
    server = await startApiTestServer({ clock, security: { rateLimit: false } });
    for (const scope of ['read', 'trade', 'admin'] as const) {
      keys[scope] = await server.apiKeys.create({ name: `${scope}-key`, scope });
    }
    clock.advance(5 * MINUTE);
  });
  afterAll(() => server?.close());

  async function get(
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string; response: Response }> {
    const response = await fetch(`${server.url}${KEY_ROUTE}`, { headers });
    return { status: response.status, text: await response.text(), response };
  }

  it.each(['read', 'trade', 'admin'] as const)(
    'describes the %s key: id, name, scope, created and last used',
    async (scope) => {
      const { status, text } = await get({ authorization: `Bearer ${keys[scope].token}` });
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({
        id: keys[scope].key.id,
        name: `${scope}-key`,
        scope,
        createdAt: T0,
        // This very request is the key's first use.
        lastUsedAt: T0 + 5 * MINUTE,
      });
    },
  );

  it('never shows the token, its secret or the stored hash', async () => {
    const { token, key } = keys.admin;
    const { status, text } = await get({ 'x-api-key': token });
    expect(status).toBe(200);
    const stored = await server.db.queryOne<{ salt: string; secret_hash: string }>(
      'SELECT salt, secret_hash FROM api_keys WHERE id = ?',
      [key.id],
    );
    const secret = token.slice(`rrr_${key.id}_`.length);
    expect(secret).toHaveLength(43);
    for (const hidden of [token, secret, stored?.salt, stored?.secret_hash]) {
      expect(hidden).toEqual(expect.any(String));
      expect(text).not.toContain(hidden);
    }
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'scope']);
  });

  it('answers 401 in the error shape without a key, although reads are open', async () => {
    const open = await fetch(`${server.url}/health`);
    expect(open.status).toBe(200);
    const { status, text, response } = await get();
    expect(status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="rrr"');
    expect((JSON.parse(text) as ErrorBody).error).toEqual({
      code: 'UNAUTHORIZED',
      message: `GET ${KEY_ROUTE} needs an API key: send "Authorization: Bearer <key>" or "x-api-key: <key>"`,
    });
  });

  it('answers 401 for a revoked key, naming it, and for an unknown or malformed one', async () => {
    const doomed = await server.apiKeys.create({ name: 'doomed', scope: 'trade' });
    expect((await get({ authorization: `Bearer ${doomed.token}` })).status).toBe(200);
    clock.advance(MINUTE);
    await server.apiKeys.revoke(doomed.key.id);
    const revoked = await get({ authorization: `Bearer ${doomed.token}` });
    expect(revoked.status).toBe(401);
    expect((JSON.parse(revoked.text) as ErrorBody).error).toEqual({
      code: 'UNAUTHORIZED',
      message: `API key ${doomed.key.id} was revoked`,
      details: { keyId: doomed.key.id, revokedAt: T0 + 6 * MINUTE },
    });
    expect(revoked.text).not.toContain(doomed.token);

    // The right id with another secret: as unknown as a made-up key.
    const forged = `rrr_${doomed.key.id}_${'A'.repeat(43)}`;
    const unknown = await get({ authorization: `Bearer ${forged}` });
    expect(unknown.status).toBe(401);
    expect((JSON.parse(unknown.text) as ErrorBody).error).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'invalid API key',
    });
    const malformed = await get({ authorization: 'Bearer rrr_nope' });
    expect(malformed.status).toBe(401);
    expect((JSON.parse(malformed.text) as ErrorBody).error.message).toBe(
      'malformed API key: expected rrr_<12 hex id>_<43-character secret>',
    );
  });

  it('is in the OpenAPI document with its tag, the key schemes and the full response schema', async () => {
    const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as {
      tags: { name: string }[];
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const operation = doc.paths[KEY_ROUTE]?.['get'] as {
      tags: string[];
      description: string;
      security: unknown;
      responses: Record<string, { content: Record<string, { schema: { required: string[]; properties: object } }> }>;
    };
    expect(operation.tags).toEqual(['auth']);
    expect(doc.tags.map((t) => t.name)).toContain('auth');
    expect(operation.description).toContain('Needs an API key with scope read or above.');
    expect(operation.security).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '401', '403']);
    const schema = operation.responses['200'].content['application/json'].schema;
    expect(schema.required).toEqual(['id', 'name', 'scope', 'createdAt']);
    expect(Object.keys(schema.properties).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'scope']);
    expect(schema.properties).toMatchObject({ scope: { type: 'string', enum: ['read', 'trade', 'admin'] } });
  });
});
