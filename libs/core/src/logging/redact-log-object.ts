import { maskUrlCredentials } from '../config/mask-url-credentials';

export const LOG_CENSOR = '[redacted]';

/**
 * Key endings that mark a credential, compared case-insensitively with `_` and `-` ignored: `apiKey`, `api_key`,
 * `x-api-key`, `polygonApiKey`, `coinbaseSecret`, `password`, `refreshToken`, `privateKey`… all match.
 */
export const LOG_SECRET_KEY_SUFFIXES: readonly string[] = Object.freeze([
  'apikey',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'token',
  'privatekey',
  'accesskey',
]);

/** Whole keys that carry credentials without saying so (HTTP headers). */
const SECRET_KEYS = new Set(['authorization', 'proxyauthorization', 'cookie', 'setcookie']);

/** A section (the config's `secrets`) whose every value is a credential, whatever its key. */
const SECRET_SECTION_KEY = 'secrets';

/** Keys whose string value may be a URL with a password in it (`database.url`, `natsUri`, `dsn`). */
const URL_KEY_SUFFIXES = ['url', 'uri', 'dsn'];

/** Deeper than anything the platform logs; also what stops the walk on a cyclic object. */
const MAX_DEPTH = 12;

type KeyKind = 'secret' | 'section' | 'url' | 'plain';

const kindCache = new Map<string, KeyKind>();
const KIND_CACHE_LIMIT = 4096;

function kindOf(key: string): KeyKind {
  let kind = kindCache.get(key);
  if (kind !== undefined) return kind;
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  if (SECRET_KEYS.has(normalized) || LOG_SECRET_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix))) {
    kind = 'secret';
  } else if (normalized === SECRET_SECTION_KEY) {
    kind = 'section';
  } else if (URL_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix))) {
    kind = 'url';
  } else {
    kind = 'plain';
  }
  // Keys come from code, so the set is small; the limit only guards against keys built from data.
  if (kindCache.size >= KIND_CACHE_LIMIT) kindCache.clear();
  kindCache.set(key, kind);
  return kind;
}

/** Unset stays unset, so a log still shows which credentials are missing. */
function censor(value: unknown): unknown {
  return value === undefined || value === null ? value : LOG_CENSOR;
}

/** Objects serialised by their own enumerable keys; those with toJSON (Date, Buffer) and errors are left to pino. */
function isWalkable(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof Error) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

function redactEntry(key: string, value: unknown, depth: number): unknown {
  switch (kindOf(key)) {
    case 'secret':
      return censor(value);
    case 'section':
      return isWalkable(value) && !Array.isArray(value) ? censorAll(value) : censor(value);
    case 'url':
      return typeof value === 'string' && value.includes('@') ? maskUrlCredentials(value) : redactAt(value, depth + 1);
    default:
      return redactAt(value, depth + 1);
  }
}

function censorAll(section: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(section)) copy[key] = censor(section[key]);
  return copy;
}

function redactAt(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || !isWalkable(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const redacted = redactAt(item, depth + 1);
      if (redacted !== item) {
        copy ??= value.slice();
        copy[i] = redacted;
      }
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const redacted = redactEntry(key, item, depth);
    if (redacted !== item) {
      copy ??= { ...value };
      copy[key] = redacted;
    }
  }
  return copy ?? value;
}

/**
 * Censors credentials at any depth by key name: secret-looking keys and HTTP auth headers become '[redacted]', every
 * value of a `secrets` section too, and URLs lose their password. Copy-on-write: the input is never modified and is
 * returned as is when it holds nothing to censor.
 *
 * Why not pino's `redact` paths: they are exact paths, so "any depth" needs `*.key`, `*.*.key`… and each
 * leading-wildcard path costs on every log call (see create-logger.bench.ts).
 */
export function redactLogObject<T>(value: T): T {
  return redactAt(value, 0) as T;
}
