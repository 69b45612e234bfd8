import { RrrError } from '@rrr/core';
import type { ApiKeyScope } from './api-key-scope';

/** No credential, or one that is malformed, unknown, wrong or revoked (401). */
export class UnauthorizedError extends RrrError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('UNAUTHORIZED', message, { details });
  }
}

/** A valid key whose scope is below what the operation needs (403). */
export class ForbiddenError extends RrrError {
  constructor(keyId: string, granted: ApiKeyScope, required: ApiKeyScope, what: string) {
    super('FORBIDDEN', `${what} needs an API key with ${required} scope; key ${keyId} has ${granted} scope`, {
      details: { keyId, scope: granted, requiredScope: required },
    });
  }
}
