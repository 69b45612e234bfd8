import {
  isUniqueViolation,
  NotFoundError,
  systemClock,
  ValidationError,
  type Clock,
  type DatabaseSession,
  type FieldProblem,
} from '@rrr/core';
import { API_KEY_HASH_ALGORITHM, generateApiKeySalt, hashApiKeySecret, verifyApiKeySecret } from './api-key-hash';
import { API_KEY_SCOPES, isApiKeyScope, type ApiKeyScope } from './api-key-scope';
import { formatApiKeyToken, generateApiKeyTokenParts, parseApiKeyToken } from './api-key-token';
import { UnauthorizedError } from './auth-errors';

/** A key as listed: everything but its secret, which is never stored. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  scope: ApiKeyScope;
  /** Epoch milliseconds UTC. */
  createdAt: number;
  /** Last successful authentication, to within `lastUsedResolutionMs`. */
  lastUsedAt?: number;
  revokedAt?: number;
}

/** Who an authenticated request or connection acts as. */
export interface ApiKeyPrincipal {
  keyId: string;
  name: string;
  scope: ApiKeyScope;
}

export interface CreatedApiKey {
  key: ApiKeyRecord;
  /** `rrr_<id>_<secret>`: the only time the secret exists outside its owner's hands. */
  token: string;
}

export interface ApiKeyStoreOptions {
  clock?: Clock;
  /**
   * `last_used_at` is written when it is older than this, not on every request: a key in steady use costs one write a
   * minute instead of one per request. Default 60,000 ms.
   */
  lastUsedResolutionMs?: number;
}

interface ApiKeyRow {
  id: string;
  name: string;
  scope: string;
  hash_algorithm: string;
  salt: string;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
const COLUMNS = 'id, name, scope, hash_algorithm, salt, secret_hash, created_at, last_used_at, revoked_at';
// Verifying against this when the id is unknown keeps the unknown-id and wrong-secret paths equally long.
const DUMMY_SALT = '00'.repeat(16);
const DUMMY_HASH = hashApiKeySecret('', DUMMY_SALT);
const INVALID_KEY = 'invalid API key';

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope as ApiKeyScope,
    createdAt: Number(row.created_at),
    ...(row.last_used_at === null ? {} : { lastUsedAt: Number(row.last_used_at) }),
    ...(row.revoked_at === null ? {} : { revokedAt: Number(row.revoked_at) }),
  };
}

/** API keys on the platform database (`api_keys`): create, list, revoke, authenticate. */
export class ApiKeyStore {
  private readonly clock: Clock;
  private readonly lastUsedResolutionMs: number;

  constructor(
    private readonly db: DatabaseSession,
    options: ApiKeyStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.lastUsedResolutionMs = options.lastUsedResolutionMs ?? 60_000;
  }

  /** A new key; its token is returned here and never again. */
  async create(input: { name: string; scope: ApiKeyScope }): Promise<CreatedApiKey> {
    const problems: FieldProblem[] = [];
    if (typeof input.name !== 'string' || !NAME_PATTERN.test(input.name)) {
      problems.push({
        field: 'name',
        message: 'must be 1-64 characters of letters, digits, space, ".", "_" or "-", starting with a letter or digit',
        value: input.name,
      });
    }
    if (!isApiKeyScope(input.scope)) {
      problems.push({ field: 'scope', message: `must be one of ${API_KEY_SCOPES.join(', ')}`, value: input.scope });
    }
    if (problems.length > 0) throw new ValidationError('api key', problems);

    // 48-bit ids: a collision is practically impossible, but the primary key would catch it, so draw again.
    for (let attempt = 1; ; attempt++) {
      const parts = generateApiKeyTokenParts();
      const salt = generateApiKeySalt();
      const createdAt = this.clock.now();
      try {
        await this.db.execute(`INSERT INTO api_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)`, [
          parts.id,
          input.name,
          input.scope,
          API_KEY_HASH_ALGORITHM,
          salt,
          hashApiKeySecret(parts.secret, salt),
          createdAt,
        ]);
      } catch (error) {
        if (attempt < 3 && isUniqueViolation(error)) continue;
        throw error;
      }
      return {
        key: { id: parts.id, name: input.name, scope: input.scope, createdAt },
        token: formatApiKeyToken(parts),
      };
    }
  }

  /** Every key, revoked ones included, oldest first. */
  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`);
    return rows.map(toRecord);
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.row(id);
    return row && toRecord(row);
  }

  async countActive(): Promise<number> {
    const row = await this.db.queryOne<{ n: number }>('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL');
    return Number(row?.n ?? 0);
  }

  /** Revokes a key for good (NOT_FOUND when unknown); revoking it again changes nothing and says so. */
  async revoke(id: string): Promise<{ key: ApiKeyRecord; alreadyRevoked: boolean }> {
    const result = await this.db.execute('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [
      this.clock.now(),
      id,
    ]);
    const row = await this.row(id);
    if (!row) throw new NotFoundError('api key', id);
    return { key: toRecord(row), alreadyRevoked: result.rowCount === 0 };
  }

  /**
   * The principal behind a presented token, or UNAUTHORIZED. Looked up on every call (no cache), so a key revoked
   * from the CLI — another process — stops working at once.
   */
  async authenticate(token: string): Promise<ApiKeyPrincipal> {
    const parts = parseApiKeyToken(token);
    if (!parts) throw new UnauthorizedError('malformed API key: expected rrr_<12 hex id>_<43-character secret>');
    const row = await this.row(parts.id);
    if (!row) {
      verifyApiKeySecret(parts.secret, DUMMY_SALT, DUMMY_HASH);
      throw new UnauthorizedError(INVALID_KEY);
    }
    const ok =
      row.hash_algorithm === API_KEY_HASH_ALGORITHM && verifyApiKeySecret(parts.secret, row.salt, row.secret_hash);
    if (!ok) throw new UnauthorizedError(INVALID_KEY);
    if (row.revoked_at !== null) {
      throw new UnauthorizedError(`API key ${row.id} was revoked`, {
        keyId: row.id,
        revokedAt: Number(row.revoked_at),
      });
    }
    const now = this.clock.now();
    if (row.last_used_at === null || now - Number(row.last_used_at) >= this.lastUsedResolutionMs) {
      await this.db.execute('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [now, row.id]);
    }
    return { keyId: row.id, name: row.name, scope: row.scope as ApiKeyScope };
  }

  /** The principal of a key authenticated earlier, re-read so that a revocation since then takes effect. */
  async principal(keyId: string): Promise<ApiKeyPrincipal> {
    const row = await this.row(keyId);
    if (!row) throw new UnauthorizedError(INVALID_KEY);
    if (row.revoked_at !== null) {
      throw new UnauthorizedError(`API key ${row.id} was revoked`, {
        keyId: row.id,
        revokedAt: Number(row.revoked_at),
      });
    }
    return { keyId: row.id, name: row.name, scope: row.scope as ApiKeyScope };
  }

  private row(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.queryOne<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`, [id]);
  }
}
