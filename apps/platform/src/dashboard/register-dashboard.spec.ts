import Fastify, { type FastifyInstance } from 'fastify';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installErrorHandler } from '../api/error-handler';
import { startApiTestServer } from '../ws/testing/api-test-server';
import { LIGHTWEIGHT_CHARTS_FILE, registerDashboard } from './register-dashboard';

describe('registerDashboard', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    installErrorHandler(app);
    registerDashboard(app);
    await app.ready();
  });
  afterAll(() => app.close());

  it('serves the page with a same-origin content security policy, and its stylesheet', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.body).toContain('<script src="/dashboard/app.js" defer></script>');
    expect(page.body).not.toMatch(/https?:\/\//);
    const css = await app.inject({ method: 'GET', url: '/dashboard/dashboard.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect((await app.inject({ method: 'GET', url: '/dashboard' })).headers.location).toBe('/');
  });

  it('serves lightweight-charts’ standalone build from node_modules, byte for byte', async () => {
    const response = await app.inject({ method: 'GET', url: `/dashboard/vendor/${LIGHTWEIGHT_CHARTS_FILE}` });
    expect(response.statusCode).toBe(200);
    const file = join(require.resolve('lightweight-charts/package.json').replace(/package\.json$/, ''), 'dist');
    expect(response.body).toBe(readFileSync(join(file, LIGHTWEIGHT_CHARTS_FILE), 'utf8'));
    expect(response.body).toContain('window.LightweightCharts=');
  });

  it('bundles the client once, with a source map, and answers 304 to a matching ETag', async () => {
    const script = await app.inject({ method: 'GET', url: '/dashboard/app.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // An IIFE over the global lightweight-charts: nothing imported at run time, no Node module left in.
    expect(script.body.startsWith('"use strict";(()=>{')).toBe(true);
    expect(script.body).toContain('LightweightCharts');
    expect(script.body).not.toMatch(/\brequire\(|better-sqlite3|node:/);
    expect(script.body.trimEnd().endsWith('//# sourceMappingURL=app.js.map')).toBe(true);
    const again = await app.inject({
      method: 'GET',
      url: '/dashboard/app.js',
      headers: { 'if-none-match': String(script.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const map = await app.inject({ method: 'GET', url: '/dashboard/app.js.map' });
    expect(JSON.parse(map.body).sources).toEqual(
      expect.arrayContaining([expect.stringMatching(/client\/panels\/candles-panel\.ts$/)]),
    );
  });

  it('serves nothing else under /dashboard', async () => {
    for (const url of ['/dashboard/index.html', '/dashboard/../package.json', '/dashboard/vendor/typings.d.ts']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
    }
  });

  it('serves the prebuilt copy scripts/build-platform.mjs writes when the sources are not there (a deployment)', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'rrr-prebuilt-dashboard-'));
    const prebuiltDir = join(elsewhere, 'dashboard');
    const root = join(__dirname, '../../../..');
    execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `const { buildDashboard } = await import(${JSON.stringify(join(root, 'scripts/build-platform.mjs'))});` +
        `await buildDashboard(${JSON.stringify(prebuiltDir)});`,
    ]);
    const deployed = Fastify();
    installErrorHandler(deployed);
    registerDashboard(deployed, { searchFrom: [elsewhere], prebuiltDir });
    try {
      const page = await deployed.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.body).toBe((await app.inject({ method: 'GET', url: '/' })).body);
      // The same esbuild options as the from-source bundle, so the same script.
      const script = await deployed.inject({ method: 'GET', url: '/dashboard/app.js' });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(script.body).toBe((await app.inject({ method: 'GET', url: '/dashboard/app.js' })).body);
      const charts = await deployed.inject({ method: 'GET', url: `/dashboard/vendor/${LIGHTWEIGHT_CHARTS_FILE}` });
      expect(charts.body).toContain('window.LightweightCharts=');
      expect((await deployed.inject({ method: 'GET', url: '/dashboard/dashboard.css' })).statusCode).toBe(200);
      expect((await deployed.inject({ method: 'GET', url: '/dashboard/index.html' })).statusCode).toBe(404);
    } finally {
      await deployed.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('answers 503 naming where it looked when run outside the checkout with no prebuilt copy', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'rrr-no-dashboard-'));
    const bare = Fastify();
    installErrorHandler(bare);
    registerDashboard(bare, { searchFrom: [elsewhere], prebuiltDir: join(elsewhere, 'dashboard') });
    try {
      for (const url of ['/', '/dashboard/app.js']) {
        const response = await bare.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(503);
        expect(response.json().error).toEqual({
          code: 'SERVICE_UNAVAILABLE',
          message:
            `dashboard files not found above ${elsewhere} nor prebuilt in ${join(elsewhere, 'dashboard')}: run the ` +
            'platform from the checkout, or build it with `node scripts/build-platform.mjs`',
        });
      }
    } finally {
      await bare.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('stays open when reads need a key (the panels then show the 401s) and stays out of the OpenAPI document', async () => {
    const server = await startApiTestServer({ security: { requireAuthForReads: true } });
    // Bodies are read to the end so that the keep-alive connections are idle when the server closes.
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.url}${path}`, { headers });
      return { path, status: response.status, body: await response.text() };
    };
    try {
      const pages = [
        '/',
        '/dashboard/app.js',
        '/dashboard/dashboard.css',
        `/dashboard/vendor/${LIGHTWEIGHT_CHARTS_FILE}`,
      ];
      for (const path of pages) expect(await get(path)).toMatchObject({ path, status: 200 });
      expect(await get('/health')).toMatchObject({ status: 401 });
      const key = (await server.apiKeys.create({ name: 'reader', scope: 'read' })).token;
      const docs = await get('/docs/json', { authorization: `Bearer ${key}` });
      expect(docs.status).toBe(200);
      const paths = Object.keys((JSON.parse(docs.body) as { paths: Record<string, unknown> }).paths);
      expect(paths).toContain('/health');
      expect(paths.filter((path) => path === '/' || path.startsWith('/dashboard'))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
