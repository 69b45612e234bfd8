/** Where the entered key is kept: this tab's session only, so it is gone when the tab closes. */
const STORAGE_KEY = 'rrr.dashboard.apiKey';

// The form `rrr api-key create` prints (apps/platform/src/security/api-key-token.ts); its id part is public.
const TOKEN_PATTERN = /^rrr_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

/** Why a typed key cannot be used, or undefined when it can. */
export function apiKeyProblem(token: string): string | undefined {
  if (token === '') return 'API key: enter the key `rrr api-key create` printed';
  if (!TOKEN_PATTERN.test(token)) {
    return 'API key: not a platform key (expected rrr_<12 hex digits>_<43 characters>, as `rrr api-key create` prints it)';
  }
  return undefined;
}

/**
 * The API key the user entered for mutating calls, kept in sessionStorage (never localStorage, never in a URL), and
 * who to tell when it changes. When the browser refuses storage the key lives in this page only.
 */
export class SessionApiKey {
  private token: string | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage | undefined = sessionStorageOrUndefined()) {
    const stored = this.read();
    this.token = stored !== undefined && apiKeyProblem(stored) === undefined ? stored : undefined;
  }

  get value(): string | undefined {
    return this.token;
  }

  /** The key's public id (`rrr_<id>_…`), for showing which key is in use without showing the key. */
  get keyId(): string | undefined {
    return this.token === undefined ? undefined : TOKEN_PATTERN.exec(this.token)?.[1];
  }

  /** Keeps `token` (trimmed) or throws saying what is wrong with it. */
  use(token: string): void {
    const trimmed = token.trim();
    const problem = apiKeyProblem(trimmed);
    if (problem !== undefined) throw new Error(problem);
    this.token = trimmed;
    this.write(trimmed);
    this.changed();
  }

  forget(): void {
    this.token = undefined;
    this.write(undefined);
    this.changed();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
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

  private write(token: string | undefined): void {
    try {
      if (token === undefined) this.storage?.removeItem(STORAGE_KEY);
      else this.storage?.setItem(STORAGE_KEY, token);
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
