/** What replaces a secret in anything the clients log or put in an error. */
export const REDACTED = '[redacted]';

/**
 * Query parameters that carry credentials at the vendors we talk to (Polygon's `apiKey`, Binance's `signature`, OAuth
 * style `access_token`…). Compared case-insensitively.
 */
export const SECRET_QUERY_PARAMS: readonly string[] = Object.freeze([
  'apikey',
  'api_key',
  'key',
  'token',
  'access_token',
  'secret',
  'signature',
  'password',
  'passphrase',
]);

function isSecretParam(name: string, extra: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return SECRET_QUERY_PARAMS.includes(lower) || extra.some((param) => param.toLowerCase() === lower);
}

/**
 * The URL with the values of secret query parameters and any userinfo password replaced by `[redacted]`, for log
 * lines. Anything that does not parse as a URL is returned as `[unparseable url]` rather than echoed, since it may
 * still hold a key.
 */
export function redactUrl(url: string | URL, extraSecretParams: readonly string[] = []): string {
  let parsed: URL;
  try {
    parsed = new URL(url.toString());
  } catch {
    return '[unparseable url]';
  }
  const query = [...parsed.searchParams.entries()]
    .map(([name, value]) => {
      const shown = isSecretParam(name, extraSecretParams) ? REDACTED : value;
      return `${encodeURIComponent(name)}=${shown === REDACTED ? REDACTED : encodeURIComponent(shown)}`;
    })
    .join('&');
  const userinfo = parsed.username === '' ? '' : `${parsed.username}${parsed.password === '' ? '' : `:${REDACTED}`}@`;
  return `${parsed.protocol}//${userinfo}${parsed.host}${parsed.pathname}${query === '' ? '' : `?${query}`}`;
}

/**
 * `GET api.polygon.io/v2/aggs/…`: how errors name a request. Host and path only — the query string is where vendors
 * put keys and signatures, so it never reaches a message.
 */
export function describeRequestTarget(method: string, url: string | URL): string {
  try {
    const parsed = new URL(url.toString());
    return `${method} ${parsed.host}${parsed.pathname}`;
  } catch {
    return `${method} [unparseable url]`;
  }
}

/**
 * Replaces every occurrence of each secret in `text` by `[redacted]`. For text we do not control (a vendor's error body,
 * a library's message) that might echo a credential back.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  // Longest first, so a secret that contains another is removed whole.
  const values = secrets
    .filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const secret of values) result = result.split(secret).join(REDACTED);
  return result;
}
