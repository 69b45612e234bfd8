export { API_KEY_SCOPES, isApiKeyScope, scopeAllows, type ApiKeyScope } from './api-key-scope';
export { parseApiKeyToken, formatApiKeyToken, type ApiKeyTokenParts } from './api-key-token';
export { API_KEY_HASH_ALGORITHM } from './api-key-hash';
export {
  ApiKeyStore,
  type ApiKeyPrincipal,
  type ApiKeyRecord,
  type ApiKeyStoreOptions,
  type CreatedApiKey,
} from './api-key-store';
export { UnauthorizedError, ForbiddenError } from './auth-errors';
export { readApiCredential, type ApiCredential } from './read-api-credential';
export {
  DEFAULT_API_SECURITY_OPTIONS,
  resolveApiSecurityOptions,
  type ApiRateLimitOptions,
  type ApiSecurityOptions,
  type ApiSecurityOverrides,
} from './api-security-options';
export {
  apiSecurityPlugin,
  requiredScopeFor,
  NO_API_KEYS_MESSAGE,
  type ApiSecurityPluginOptions,
} from './api-security-plugin';
