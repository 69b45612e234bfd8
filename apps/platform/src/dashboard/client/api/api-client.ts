import { ApiError } from './api-error';

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/**
 * Reads the platform's REST API (same origin). Every failure becomes an ApiError naming the route, the status and
 * the server's `{ error: { code, message } }`, so a panel can say exactly what failed.
 */
export class ApiClient {
  constructor(private readonly base = '') {}

  /** The JSON body of a 2xx answer; `acceptStatus` also lets other statuses through (e.g. /health's 503 body). */
  async get<T>(path: string, acceptStatus: readonly number[] = []): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { headers: { accept: 'application/json' } });
    } catch (error) {
      throw new ApiError(path, 0, 'NETWORK', (error as Error).message);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiError(path, response.status, 'BAD_RESPONSE', 'the answer is not JSON');
    }
    if (response.ok || acceptStatus.includes(response.status)) return body as T;
    const error = (body as ErrorBody | undefined)?.error;
    throw new ApiError(path, response.status, error?.code ?? response.statusText, error?.message ?? '');
  }
}

/** A query string from the defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
