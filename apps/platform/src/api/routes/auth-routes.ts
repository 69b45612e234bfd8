import type { FastifyInstance } from 'fastify';
import { API_KEY_SCOPES, UnauthorizedError, type ApiKeyStore } from '../../security';
import { errorResponses, timestampSchema } from '../api-schemas';

export interface AuthRoutesDeps {
  apiKeys: ApiKeyStore;
}

/** What a client may learn of its own key: never the token nor its hash, which the serializer could not emit anyway. */
const apiKeyIdentitySchema = {
  type: 'object',
  description: 'The API key the request authenticated with',
  required: ['id', 'name', 'scope', 'createdAt'],
  properties: {
    id: { type: 'string', description: 'the public id, as in rrr_<id>_<secret>' },
    name: { type: 'string' },
    scope: {
      type: 'string',
      enum: [...API_KEY_SCOPES],
      description: 'read ⊂ trade ⊂ admin: mutating routes need trade unless they say admin',
    },
    createdAt: timestampSchema,
    lastUsedAt: { ...timestampSchema, description: 'last successful authentication, to within a minute' },
  },
} as const;

/** `/api/v1/auth/key`: which key a request presented, so a client can check a key before it acts with it. */
export function registerAuthRoutes(app: FastifyInstance, deps: AuthRoutesDeps): void {
  app.get(
    '/api/v1/auth/key',
    {
      // A GET that names a scope needs a key even while reads are open: without one there is nothing to describe.
      config: { requiredScope: 'read' },
      schema: {
        tags: ['auth'],
        summary: 'The API key this request presented: id, name, scope and when it was created and last used',
        response: { 200: apiKeyIdentitySchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      // The security hook authenticated the key just now; re-read it for its timestamps, which the principal lacks.
      const keyId = request.apiKey?.keyId;
      const key = keyId === undefined ? undefined : await deps.apiKeys.get(keyId);
      // Revoked between the hook and this read: answer as the hook would have a moment later.
      if (key === undefined || key.revokedAt !== undefined) {
        throw new UnauthorizedError(keyId === undefined ? 'no API key presented' : `API key ${keyId} was revoked`);
      }
      return {
        id: key.id,
        name: key.name,
        scope: key.scope,
        createdAt: key.createdAt,
        ...(key.lastUsedAt === undefined ? {} : { lastUsedAt: key.lastUsedAt }),
      };
    },
  );
}
