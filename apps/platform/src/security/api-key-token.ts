import { randomBytes } from 'node:crypto';
import type { ApiKeyTokenParts } from './api-key-token-format';

export {
  API_KEY_TOKEN_PREFIX,
  formatApiKeyToken,
  parseApiKeyToken,
  type ApiKeyTokenParts,
} from './api-key-token-format';

/** A fresh id and secret from the OS's CSPRNG. */
export function generateApiKeyTokenParts(): ApiKeyTokenParts {
  return { id: randomBytes(6).toString('hex'), secret: randomBytes(32).toString('base64url') };
}
