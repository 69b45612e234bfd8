import { ApiError, type FieldProblem } from './api-error';

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { problems?: unknown } };
}

/** The well-formed entries of a 400's `details.problems`: a form shows each next to itself. */
function fieldProblems(problems: unknown): FieldProblem[] {
  if (!Array.isArray(problems)) return [];
  return problems
    .filter(
      (p): p is FieldProblem =>
        typeof (p as Partial<FieldProblem> | null)?.field === 'string' &&
        typeof (p as Partial<FieldProblem>).message === 'string',
    )
    .map(({ field, message }) => ({ field, message }));
}

export type MutatingMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The platform's REST API (same origin). Reads go without credentials; mutating calls carry the API key the user
 * entered (`Authorization: Bearer`), and so does the check of a key (`getWithKey`), so a key is only ever sent where
 * the server needs one. Every failure becomes an
 * ApiError naming the method, the route, the status and the server's `{ error: { code, message } }` (and the fields a
 * validation failure names), so a panel can say exactly what failed.
 */
export class ApiClient {
  constructor(
    private readonly apiKey: () => string | undefined = () => undefined,
    private readonly base = '',
  ) {}

  /** The JSON body of a 2xx answer; `acceptStatus` also lets other statuses through (e.g. /health's 503 body). */
  async get<T>(path: string, acceptStatus: readonly number[] = []): Promise<T> {
    return this.request<T>('GET', path, { accept: 'application/json' }, undefined, acceptStatus);
  }

  /**
   * A read that presents `token` rather than the kept key: for `GET /api/v1/auth/key`, which checks a key before the
   * page keeps it (and a kept one again on load).
   */
  async getWithKey<T>(path: string, token: string): Promise<T> {
    return this.request<T>(
      'GET',
      path,
      { accept: 'application/json', authorization: `Bearer ${token}` },
      undefined,
      [],
    );
  }

  /** A mutating call with the entered API key (none entered: sent without, and the server's 401 says so). */
  async send<T>(method: MutatingMethod, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const key = this.apiKey();
    if (key !== undefined) headers['authorization'] = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.request<T>(method, path, headers, body === undefined ? undefined : JSON.stringify(body), []);
  }

  private async request<T>(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    acceptStatus: readonly number[],
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { method, headers, body });
    } catch (error) {
      throw new ApiError(method, path, 0, 'NETWORK', (error as Error).message);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiError(method, path, response.status, 'BAD_RESPONSE', 'the answer is not JSON');
    }
    if (response.ok || acceptStatus.includes(response.status)) return parsed as T;
    const error = (parsed as ErrorBody | undefined)?.error;
    throw new ApiError(
      method,
      path,
      response.status,
      error?.code ?? response.statusText,
      error?.message ?? '',
      fieldProblems(error?.details?.problems),
    );
  }
}

/** A query string from the defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
