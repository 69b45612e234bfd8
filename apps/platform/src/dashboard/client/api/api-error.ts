/** A REST call that did not answer 2xx with JSON: what was asked, and what came back. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly code: string,
    /** The server's own `error.message` (or what went wrong on the way), shown to the user as it is. */
    readonly detail: string,
  ) {
    super(`${method} ${path} failed: ${status === 0 ? '' : `${status} `}${code}${detail ? ` — ${detail}` : ''}`);
    this.name = 'ApiError';
  }
}
