import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiTestServer } from '../ws/testing/api-test-server';
import { startTradingApiTestServer, type TradingApiTestServer } from './testing/trading-api-test-server';

interface Operation {
  tags?: string[];
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: object } }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

/** Every route of the market, trading, portfolio, health and auth modules: [method, path, success]. */
const ROUTES: [string, string, string][] = [
  ['get', '/health', '200'],
  ['get', '/health/{service}', '200'],
  ['get', '/api/v1/auth/key', '200'],
  ['get', '/api/v1/symbols', '200'],
  ['get', '/api/v1/bars', '200'],
  ['get', '/api/v1/predictions', '200'],
  ['get', '/api/v1/signals', '200'],
  ['get', '/api/v1/orders', '200'],
  ['post', '/api/v1/orders', '201'],
  ['get', '/api/v1/orders/{id}', '200'],
  ['delete', '/api/v1/orders/{id}', '200'],
  ['get', '/api/v1/fills', '200'],
  ['get', '/api/v1/positions', '200'],
  ['get', '/api/v1/portfolio', '200'],
  ['get', '/api/v1/portfolio/equity', '200'],
  ['get', '/api/v1/portfolio/performance', '200'],
];

const { version } = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
  version: string;
};

describe('the OpenAPI document at /docs/json', () => {
  let t: TradingApiTestServer;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await startTradingApiTestServer();
    const response = await t.request('GET', '/docs/json');
    expect(response.status).toBe(200);
    doc = (await response.json()) as OpenApiDocument;
  });

  afterAll(async () => {
    await t.close();
  });

  it('is OpenAPI 3.1 with the title, the package version and both API key schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'RRRalgorithms platform API', version });
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      apiKeyHeader: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }),
    });
  });

  it('lists every route with tags, a summary and a JSON schema for its success response', () => {
    const missing = ROUTES.filter(([method, path]) => doc.paths[path]?.[method] === undefined);
    expect(missing).toEqual([]);
    for (const [method, path, success] of ROUTES) {
      const operation = doc.paths[path][method];
      expect({ route: `${method} ${path}`, tags: operation.tags?.length ?? 0 }).toEqual({
        route: `${method} ${path}`,
        tags: 1,
      });
      expect(operation.summary).toEqual(expect.any(String));
      const schema = operation.responses[success]?.content?.['application/json']?.schema;
      expect({ route: `${method} ${path}`, type: schema?.type }).toEqual({
        route: `${method} ${path}`,
        type: 'object',
      });
    }
    expect(doc.paths['/metrics'].get.responses['200'].content?.['text/plain']?.schema).toMatchObject({
      type: 'string',
    });
    expect(doc.paths['/docs/json']).toBeUndefined();
  });

  it('describes parameters and bodies with their limits, and marks the mutating routes as needing a key', () => {
    const bars = doc.paths['/api/v1/bars'].get.parameters ?? [];
    expect(bars.find((p) => p.name === 'symbol')).toMatchObject({ in: 'query', required: true });
    expect(bars.find((p) => p.name === 'limit')?.schema).toMatchObject({ maximum: 5_000, default: 500 });
    expect(bars.map((p) => p.name).sort()).toEqual(['cursor', 'from', 'interval', 'limit', 'symbol', 'to']);
    expect(doc.paths['/api/v1/orders/{id}'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);

    const submit = doc.paths['/api/v1/orders'].post;
    expect(submit.requestBody?.content['application/json'].schema.required).toEqual([
      'symbol',
      'side',
      'type',
      'quantity',
    ]);
    expect(submit.security).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
    expect(Object.keys(submit.responses).sort()).toEqual(['201', '400', '401', '403', '409', '422', '503']);
    expect(doc.paths['/api/v1/orders/{id}'].delete.security).toEqual(submit.security);
    // Reads are open by default.
    expect(doc.paths['/api/v1/orders'].get.security).toBeUndefined();
  });

  it('stays readable without a key when reads need one, and then marks the reads as needing a read key', async () => {
    const locked = await startApiTestServer({
      security: { requireAuthForReads: true, rateLimit: false },
      deps: ({ db }) => ({ db }),
    });
    try {
      const denied = await fetch(`${locked.url}/api/v1/symbols`);
      expect(denied.status).toBe(401);
      const response = await fetch(`${locked.url}/docs/json`);
      expect(response.status).toBe(200);
      const lockedDoc = (await response.json()) as OpenApiDocument;
      const symbols = lockedDoc.paths['/api/v1/symbols'].get;
      expect(symbols.security).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
      expect(Object.keys(symbols.responses).sort()).toEqual(['200', '401', '403']);
      // Served without a trading engine: the trading routes are not registered, so not documented either.
      expect(lockedDoc.paths['/api/v1/orders']).toBeUndefined();
      expect((await fetch(`${locked.url}/api/v1/orders`, { headers: {} })).status).toBe(401);
    } finally {
      await locked.close();
    }
  });
});
