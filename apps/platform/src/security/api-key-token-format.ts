/**
 * The shape of an API key as handed to its owner, `rrr_<id>_<secret>`. No dependencies: the dashboard's client
 * bundles this module to check a typed key's form and show its public id.
 */

/** The parts of a key as handed to its owner: `rrr_<id>_<secret>`. */
export interface ApiKeyTokenParts {
  /** 12 lower-case hex digits; public (listed, logged, used as the rate-limit key). */
  id: string;
  /** 43 base64url characters (256 random bits); never stored, only its hash. */
  secret: string;
}

export const API_KEY_TOKEN_PREFIX = 'rrr_';

// The secret's base64url alphabet includes `_`, so the parts are found by position, not by splitting.
const TOKEN_PATTERN = /^rrr_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function formatApiKeyToken(parts: ApiKeyTokenParts): string {
  return `${API_KEY_TOKEN_PREFIX}${parts.id}_${parts.secret}`;
}

/** The id and secret of a well-formed token, or undefined. */
export function parseApiKeyToken(token: string): ApiKeyTokenParts | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1], secret: match[2] } : undefined;
}
