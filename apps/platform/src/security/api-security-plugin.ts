import cors from '@fastify/cors';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { isRrrError, RateLimitedError } from '@rrr/core';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ApiSecurityOptions } from './api-security-options';
import { scopeAllows, type ApiKeyScope } from './api-key-scope';
import type { ApiKeyPrincipal, ApiKeyStore } from './api-key-store';
import { ForbiddenError, UnauthorizedError } from './auth-errors';
import { readApiCredential } from './read-api-credential';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The scope a route needs. Mutating routes need `trade` unless they name another scope; `public` is honoured on
     * GET/HEAD routes only (a mutating route cannot opt out of authentication).
     */
    requiredScope?: ApiKeyScope | 'public';
  }
  interface FastifyRequest {
    /** The key the request authenticated with, or null when it presented none. */
    apiKey: ApiKeyPrincipal | null;
  }
}

export interface ApiSecurityPluginOptions {
  apiKeys: ApiKeyStore;
  options: ApiSecurityOptions;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The scope a request needs, or undefined when it may go without a key. */
export function requiredScopeFor(
  method: string,
  routeScope: ApiKeyScope | 'public' | undefined,
  requireAuthForReads: boolean,
): ApiKeyScope | undefined {
  if (!SAFE_METHODS.has(method)) return routeScope === undefined || routeScope === 'public' ? 'trade' : routeScope;
  // A CORS preflight never carries credentials; the request it announces is checked on its own.
  if (method === 'OPTIONS' || routeScope === 'public') return undefined;
  return routeScope ?? (requireAuthForReads ? 'read' : undefined);
}

export const NO_API_KEYS_MESSAGE =
  'no active API keys: mutating routes and WebSocket order placement answer 401 until one exists; create one with ' +
  '`rrr api-key create --scope admin --name <name>` (the key is printed once)';

/**
 * Hooks, in this order, on every route (the 404 handler and the WebSocket upgrade included):
 * 1. CORS (only when origins are configured), so that browsers can read even the error answers;
 * 2. authentication of a presented key — a bad key is remembered, not yet answered, so that floods of bad keys are
 *    rate limited by IP like any anonymous traffic;
 * 3. the rate limit, per key id when the key was valid, else per client IP;
 * 4. enforcement: 401 for a bad or missing key where one is needed, 403 for a key whose scope is too low.
 */
async function apiSecurity(app: FastifyInstance, { apiKeys, options }: ApiSecurityPluginOptions): Promise<void> {
  if (options.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: options.corsOrigins.includes('*') ? '*' : [...options.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'x-api-key', 'content-type'],
      exposedHeaders: ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
      maxAge: 600,
    });
  }

  const failures = new WeakMap<FastifyRequest, UnauthorizedError>();
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request) => {
    const credential = readApiCredential(request.headers);
    if (credential.kind === 'none') return;
    if (credential.kind === 'invalid') {
      failures.set(request, new UnauthorizedError(credential.message));
      return;
    }
    try {
      request.apiKey = await apiKeys.authenticate(credential.token);
    } catch (error) {
      if (!(isRrrError(error) && error instanceof UnauthorizedError)) throw error;
      failures.set(request, error);
    }
  });

  const limits = options.rateLimit;
  if (limits) {
    await app.register(rateLimit, {
      global: false,
      timeWindow: limits.windowMs,
      keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.keyId}` : `ip:${normalizeIP(request.ip)}`),
      max: (_request, key) => (key.startsWith('key:') ? limits.perKeyMax : limits.perIpMax),
      errorResponseBuilder: (request, context) =>
        new RateLimitedError(
          request.apiKey ? `api key ${request.apiKey.keyId}` : `api client ${request.ip}`,
          Math.max(0, context.ttl),
        ),
    });
    const limit = app.rateLimit();
    app.addHook('onRequest', async function (request, reply) {
      await limit.call(this, request, reply);
    });
  }

  app.addHook('onRequest', async (request, reply) => {
    const failure = failures.get(request);
    if (failure) {
      reply.header('www-authenticate', 'Bearer realm="rrr"');
      request.log.info({ ip: request.ip, reason: failure.message }, 'api authentication failed');
      throw failure;
    }
    const required = requiredScopeFor(
      request.method,
      request.routeOptions.config?.requiredScope,
      options.requireAuthForReads,
    );
    if (required === undefined) return;
    const key = request.apiKey;
    if (!key) {
      reply.header('www-authenticate', 'Bearer realm="rrr"');
      throw new UnauthorizedError(
        `${request.method} ${request.url.split('?')[0]} needs an API key: send "Authorization: Bearer <key>" or "x-api-key: <key>"`,
      );
    }
    if (!scopeAllows(key.scope, required)) {
      throw new ForbiddenError(key.keyId, key.scope, required, `${request.method} ${request.url.split('?')[0]}`);
    }
  });

  app.addHook('onReady', async () => {
    if ((await apiKeys.countActive()) === 0) app.log.warn(NO_API_KEYS_MESSAGE);
  });
}

/** Registered on the root instance itself (not encapsulated), so its hooks cover every route of the server. */
export const apiSecurityPlugin = Object.assign(apiSecurity, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'rrr-api-security',
}) as FastifyPluginAsync<ApiSecurityPluginOptions>;
