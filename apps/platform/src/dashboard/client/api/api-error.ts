/** One refused field of a request, as a 400's `error.details.problems` names it (`params.fast`, `body.strategy`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A REST call that did not answer 2xx with JSON: what was asked, and what came back. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly code: string,
    /** The server's own `error.message` (or what went wrong on the way), shown to the user as it is. */
    readonly detail: string,
    /** The server's field-by-field problems (validation failures); empty when it named none. */
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(`${method} ${path} failed: ${status === 0 ? '' : `${status} `}${code}${detail ? ` — ${detail}` : ''}`);
    this.name = 'ApiError';
  }
}
