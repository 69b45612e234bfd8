import { isApiKeyScope } from '../../../security/api-key-scope';
import { parseApiKeyToken } from '../../../security/api-key-token-format';
import type { ApiKeyIdentity, ApiKeyScope } from './wire-types';

/** Where the entered key is kept: this tab's session only, so it is gone when the tab closes. */
const STORAGE_KEY = 'rrr.dashboard.apiKey';

/** A key the server has confirmed, with what it said of it: the scope decides which controls the page offers. */
export interface KeptApiKey {
  token: string;
  scope: ApiKeyScope;
  name: string;
}

/** Why a typed key cannot be used, or undefined when it can. */
export function apiKeyProblem(token: string): string | undefined {
  if (token === '') return 'API key: enter the key `rrr api-key create` printed';
  if (parseApiKeyToken(token) === undefined) {
    return 'API key: not a platform key (expected rrr_<12 hex digits>_<43 characters>, as `rrr api-key create` prints it)';
  }
  return undefined;
}

/** The public id of a well-formed key (`rrr_<id>_…`), for naming a key without showing it. */
export function apiKeyId(token: string): string | undefined {
  return parseApiKeyToken(token)?.id;
}

function parseKept(text: string | undefined): KeptApiKey | undefined {
  if (text === undefined) return undefined;
  try {
    const kept = JSON.parse(text) as Partial<KeptApiKey> | null;
    if (typeof kept?.token !== 'string' || apiKeyProblem(kept.token) !== undefined) return undefined;
    if (!isApiKeyScope(kept.scope) || typeof kept.name !== 'string') return undefined;
    return { token: kept.token, scope: kept.scope, name: kept.name };
  } catch {
    return undefined;
  }
}

/**
 * The API key the user entered for mutating calls, with the scope and name the server gave for it, kept together in
 * one sessionStorage entry (never localStorage, never in a URL), and who to tell when it changes. When the browser
 * refuses storage the key lives in this page only. Only a key the server confirmed is kept (see ApiKeyEntry).
 */
export class SessionApiKey {
  private kept: KeptApiKey | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage | undefined = sessionStorageOrUndefined()) {
    this.kept = parseKept(this.read());
    // An entry this page cannot use (hand-edited, or from an older page) would only get in the way.
    if (this.kept === undefined) this.write(undefined);
  }

  get value(): string | undefined {
    return this.kept?.token;
  }

  /** The key's public id (`rrr_<id>_…`), for showing which key is in use without showing the key. */
  get keyId(): string | undefined {
    return this.kept === undefined ? undefined : apiKeyId(this.kept.token);
  }

  get scope(): ApiKeyScope | undefined {
    return this.kept?.scope;
  }

  get name(): string | undefined {
    return this.kept?.name;
  }

  /** Keeps `token` with what the server said of it (`GET /api/v1/auth/key`). */
  use(token: string, identity: ApiKeyIdentity): void {
    const problem = apiKeyProblem(token);
    if (problem !== undefined) throw new Error(problem);
    if (apiKeyId(token) !== identity.id) {
      throw new Error(`API key: the server described key ${identity.id}, not ${apiKeyId(token) ?? 'this one'}`);
    }
    this.kept = { token, scope: identity.scope, name: identity.name };
    this.write(JSON.stringify(this.kept));
    this.changed();
  }

  forget(): void {
    this.kept = undefined;
    this.write(undefined);
    this.changed();
  }

  /** Calls `listener` on every change of the key until the returned function is called. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private read(): string | undefined {
    try {
      return this.storage?.getItem(STORAGE_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private write(entry: string | undefined): void {
    try {
      if (entry === undefined) this.storage?.removeItem(STORAGE_KEY);
      else this.storage?.setItem(STORAGE_KEY, entry);
    } catch {
      // Storage full or refused: the key still works until the page is reloaded.
    }
  }
}

function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}
