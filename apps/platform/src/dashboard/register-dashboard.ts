import type {} from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { RrrError } from '@rrr/core';
import type { FastifyInstance, FastifyReply, RouteShorthandOptions } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dashboardClientBundle, type DashboardClientBundle } from './dashboard-client-bundle';
import { locateDashboardFiles, type DashboardFiles } from './dashboard-files';

/** The standalone build defines `window.LightweightCharts`; served straight from node_modules. */
export const LIGHTWEIGHT_CHARTS_FILE = 'lightweight-charts.standalone.production.js';

export interface DashboardOptions {
  /** Folders to look above for the dashboard's sources (default: this module's folder, then the working directory). */
  searchFrom?: string[];
  /**
   * The static copy scripts/build-platform.mjs writes beside the bundle (default: `<this module's folder>/dashboard`),
   * served when no sources are found — a deployment has neither the sources nor esbuild.
   */
  prebuiltDir?: string;
}

const PREBUILT_FILES = ['index.html', 'dashboard.css', 'app.js', 'app.js.map', `vendor/${LIGHTWEIGHT_CHARTS_FILE}`];

// The page loads only its own files: a script or style from elsewhere, or a connection to another host, is refused.
// lightweight-charts sets style attributes on the elements it creates, hence 'unsafe-inline' for styles only.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// Read-only pages: open even when reads need a key (the panels then show the 401 they get), and not part of the
// OpenAPI document.
const PAGE_ROUTE: RouteShorthandOptions = { config: { requiredScope: 'public' }, schema: { hide: true } };

function unavailable(searched: string[], prebuiltDir: string): RrrError {
  return new RrrError(
    'SERVICE_UNAVAILABLE',
    `dashboard files not found above ${searched.join(' or ')} nor prebuilt in ${prebuiltDir}: run the platform from ` +
      'the checkout, or build it with `node scripts/build-platform.mjs`',
  );
}

/** lightweight-charts' dist folder, resolved when first asked so that a broken install cannot stop the API. */
function lightweightChartsDir(files: DashboardFiles): string {
  try {
    return `${dirname(require.resolve('lightweight-charts/package.json', { paths: [files.root] }))}/dist`;
  } catch (error) {
    throw new RrrError('SERVICE_UNAVAILABLE', `lightweight-charts is not installed: ${(error as Error).message}`);
  }
}

function sendBundlePart(reply: FastifyReply, part: DashboardClientBundle['js'], type: string, ifNoneMatch?: string) {
  reply.header('cache-control', 'no-cache').header('etag', part.etag);
  if (ifNoneMatch === part.etag) return reply.status(304).send();
  return reply.type(type).send(part.body);
}

/**
 * The dashboard: `GET /` is the page, `/dashboard/…` its stylesheet, its script (the client's TypeScript bundled by
 * esbuild on first request) and lightweight-charts' standalone build. The page reads the REST API and the `/ws`
 * gateway of the same server. Without the sources (a deployed bundle), the static copy scripts/build-platform.mjs
 * wrote beside the bundle is served instead.
 */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions = {}): void {
  const searched = options.searchFrom ?? [__dirname, process.cwd()];
  const prebuiltDir = options.prebuiltDir ?? join(__dirname, 'dashboard');
  const files = locateDashboardFiles(...searched);
  app.register(async (scope) => {
    if (files !== undefined) return serveFromSources(scope, files);
    if (PREBUILT_FILES.every((file) => existsSync(join(prebuiltDir, file)))) return servePrebuilt(scope, prebuiltDir);
    for (const url of ['/', '/dashboard/*']) {
      scope.get(url, PAGE_ROUTE, async () => {
        throw unavailable(searched, prebuiltDir);
      });
    }
  });
}

async function serveFromSources(scope: FastifyInstance, files: DashboardFiles): Promise<void> {
  await scope.register(fastifyStatic, { root: files.publicDir, serve: false });
  let chartsDir: string | undefined;
  servePage(scope);
  scope.get(`/dashboard/vendor/${LIGHTWEIGHT_CHARTS_FILE}`, PAGE_ROUTE, async (_request, reply) =>
    reply.sendFile(LIGHTWEIGHT_CHARTS_FILE, (chartsDir ??= lightweightChartsDir(files))),
  );
  scope.get('/dashboard/app.js', PAGE_ROUTE, async (request, reply) => {
    const bundle = await dashboardClientBundle(files);
    return sendBundlePart(reply, bundle.js, 'text/javascript; charset=utf-8', request.headers['if-none-match']);
  });
  scope.get('/dashboard/app.js.map', PAGE_ROUTE, async (request, reply) => {
    const bundle = await dashboardClientBundle(files);
    return sendBundlePart(reply, bundle.map, 'application/json; charset=utf-8', request.headers['if-none-match']);
  });
}

async function servePrebuilt(scope: FastifyInstance, dir: string): Promise<void> {
  await scope.register(fastifyStatic, { root: dir, serve: false });
  servePage(scope);
  for (const file of ['app.js', 'app.js.map', `vendor/${LIGHTWEIGHT_CHARTS_FILE}`]) {
    scope.get(`/dashboard/${file}`, PAGE_ROUTE, async (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile(file),
    );
  }
}

/** The page and its stylesheet, from the static root of the scope. */
function servePage(scope: FastifyInstance): void {
  scope.get('/', PAGE_ROUTE, async (_request, reply) =>
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY).sendFile('index.html'),
  );
  scope.get('/dashboard', PAGE_ROUTE, async (_request, reply) => reply.redirect('/'));
  scope.get('/dashboard/dashboard.css', PAGE_ROUTE, async (_request, reply) => reply.sendFile('dashboard.css'));
}
