/** What a key may do: `read` (GET routes when they are protected, WebSocket channels), `trade` (orders and every
 * other mutating route), `admin` (operator routes). Each scope includes the ones before it. */
export const API_KEY_SCOPES = ['read', 'trade', 'admin'] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** admin ⊇ trade ⊇ read. */
export function scopeAllows(granted: ApiKeyScope, required: ApiKeyScope): boolean {
  return API_KEY_SCOPES.indexOf(granted) >= API_KEY_SCOPES.indexOf(required);
}
