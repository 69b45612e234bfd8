import type { IncomingHttpHeaders } from 'node:http';

/** What a request presents: nothing, a token (not yet checked), or something unusable and why. */
export type ApiCredential = { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'invalid'; message: string };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The API key of a request, from `Authorization: Bearer <key>` or `x-api-key: <key>`. Never from the query string:
 * URLs end up in proxy and access logs. Two headers carrying different keys are refused rather than one preferred.
 */
export function readApiCredential(headers: IncomingHttpHeaders): ApiCredential {
  let fromAuthorization: string | undefined;
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = BEARER.exec(authorization);
    if (!match) return { kind: 'invalid', message: 'the Authorization header must be "Bearer <api key>"' };
    fromAuthorization = match[1];
  }
  const header = headers['x-api-key'];
  if (Array.isArray(header)) return { kind: 'invalid', message: 'send one x-api-key header, not several' };
  const fromApiKey = header?.trim();
  if (fromApiKey === '') return { kind: 'invalid', message: 'the x-api-key header is empty' };
  if (fromAuthorization !== undefined && fromApiKey !== undefined && fromAuthorization !== fromApiKey) {
    return { kind: 'invalid', message: 'the Authorization and x-api-key headers carry different keys' };
  }
  const token = fromAuthorization ?? fromApiKey;
  return token === undefined ? { kind: 'none' } : { kind: 'token', token };
}
