import { RrrError, type ErrorCode } from '@rrr/core';

/** What went wrong with one HTTP exchange. */
export type HttpFailureKind = 'status' | 'network' | 'timeout' | 'circuit-open';

/** Transport error codes (Node and undici) that mean the connection failed, not the server's answer. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Codes after which the request certainly never reached the server, so even a POST may be sent again. */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export interface HttpErrorInit {
  kind: HttpFailureKind;
  method: string;
  host: string;
  path: string;
  status?: number;
  statusText?: string;
  /** From the server's Retry-After header. */
  retryAfterMs?: number;
  /** Errno-style code of a transport failure (ECONNRESET…). */
  networkCode?: string;
  timeoutMs?: number;
  /** When an open circuit lets the next call through. */
  retryAt?: number;
  /** Start of the response body, secrets removed; kept in details, never in the message. */
  bodySnippet?: string;
  cause?: unknown;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'TIMEOUT';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status >= 400 && status < 500) return 'VALIDATION_FAILED';
  return 'SERVICE_UNAVAILABLE';
}

function codeFor(init: HttpErrorInit): ErrorCode {
  switch (init.kind) {
    case 'status':
      return codeForStatus(init.status ?? 0);
    case 'timeout':
      return 'TIMEOUT';
    case 'circuit-open':
      return 'CIRCUIT_OPEN';
    case 'network':
      return 'SERVICE_UNAVAILABLE';
  }
}

function describe(init: HttpErrorInit): string {
  const target = `${init.method} ${init.host}${init.path}`;
  switch (init.kind) {
    case 'status': {
      const wait = init.retryAfterMs === undefined ? '' : ` (Retry-After ${init.retryAfterMs} ms)`;
      return `${target}: HTTP ${init.status}${init.statusText ? ` ${init.statusText}` : ''}${wait}`;
    }
    case 'timeout':
      return `${target}: no complete response within ${init.timeoutMs} ms`;
    case 'circuit-open':
      return `${target}: circuit for ${init.host} is open after repeated failures; next attempt allowed at ${new Date(init.retryAt ?? 0).toISOString()}`;
    case 'network':
      return `${target}: network error ${init.networkCode ?? 'unknown'}`;
  }
}

/**
 * A failed HTTP exchange. The message names method, host, path and status — never the query string or headers, which is
 * where credentials travel. `retryable` says whether trying again can help (429, 5xx, 408, timeouts, transport errors);
 * `countsAsFailure` whether the host looks unhealthy (everything retryable — a 404 or 400 is the caller's problem).
 */
export class HttpError extends RrrError {
  readonly kind: HttpFailureKind;
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly networkCode: string | undefined;
  readonly retryable: boolean;
  /** True when the request provably did not reach the server (or it refused to process it), so a retry is safe for any method. */
  readonly neverProcessed: boolean;

  constructor(init: HttpErrorInit) {
    super(codeFor(init), describe(init), {
      cause: init.cause,
      details: {
        method: init.method,
        host: init.host,
        path: init.path,
        ...(init.status === undefined ? {} : { status: init.status }),
        ...(init.retryAfterMs === undefined ? {} : { retryAfterMs: init.retryAfterMs }),
        ...(init.networkCode === undefined ? {} : { networkCode: init.networkCode }),
        ...(init.timeoutMs === undefined ? {} : { timeoutMs: init.timeoutMs }),
        ...(init.retryAt === undefined ? {} : { retryAt: init.retryAt }),
        ...(init.bodySnippet === undefined ? {} : { body: init.bodySnippet }),
      },
    });
    this.kind = init.kind;
    this.method = init.method;
    this.host = init.host;
    this.path = init.path;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.networkCode = init.networkCode;
    const status = init.status ?? 0;
    this.retryable =
      init.kind === 'network' ||
      init.kind === 'timeout' ||
      (init.kind === 'status' && (status === 429 || status === 408 || (status >= 500 && status !== 501)));
    this.neverProcessed =
      (init.kind === 'status' && status === 429) ||
      (init.kind === 'network' && init.networkCode !== undefined && NEVER_SENT_CODES.has(init.networkCode));
  }

  get countsAsFailure(): boolean {
    return this.retryable;
  }
}

/** The errno-style code of a transport failure, looking through `cause` chains (undici wraps socket errors). */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
