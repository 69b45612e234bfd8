import type { HttpClient, HttpMethod } from '../http/http-client';

/** The slice of a fetch Response that ccxt's `handleRestResponse` reads. */
export interface CcxtFetchResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  text(): Promise<string>;
}

interface CcxtFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * A `fetchImplementation` for ccxt that sends every REST call through our HttpClient, so exchange traffic gets the same
 * keep-alive pool, per-host rate limit, retries, circuit breaker and metrics as the data vendors. 429 and 5xx are
 * retried here (and thrown as HttpError once retries are spent); other 4xx are handed to ccxt, which maps the
 * exchange's own error codes (-2010 insufficient balance, -2013 unknown order…) to its error classes.
 */
export function createCcxtFetch(http: HttpClient): (url: string, init?: CcxtFetchInit) => Promise<CcxtFetchResponse> {
  return async (url, init = {}) => {
    const response = await http.request({
      url,
      method: (init.method ?? 'GET').toUpperCase() as HttpMethod,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      passStatus: (status) => status < 500 && status !== 429,
    });
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      text: async () => response.body,
    };
  };
}
