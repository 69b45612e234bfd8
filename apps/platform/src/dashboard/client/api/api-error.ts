/** A REST call that did not answer 2xx with JSON: what was asked, and what came back. */
export class ApiError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(`GET ${path} failed: ${status === 0 ? '' : `${status} `}${code}${detail ? ` — ${detail}` : ''}`);
    this.name = 'ApiError';
  }
}
