import http from 'node:http';
import https from 'node:https';
import { retry, RrrError, sleep, ValidationError, withTimeout, type RrrLogger } from '@rrr/core';
import type { AlertNotification } from '../alerts/alert-notification';
import type { AlertNotifier } from './alert-notifier';

export interface WebhookNotifierOptions {
  /** http:// or https:// endpoint; it may embed a token (Slack-style), so only its origin is ever logged. */
  url: string;
  /** Per attempt. Default 5,000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt on network errors, timeouts, 429 and 5xx. Default 3. */
  retries?: number;
  /** Backoff of the first retry, doubling up to maxDelayMs (full jitter). Defaults 500 / 10,000 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Extra request headers (e.g. an Authorization header from env). */
  headers?: Record<string, string>;
  /** Turns a notification into the JSON body; default: the notification itself. */
  body?: (notification: AlertNotification) => unknown;
  name?: string;
  logger?: RrrLogger;
  /** Injected in tests to record backoff delays instead of waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** The webhook answered with a status; 4xx other than 429 are not retried (the request itself is wrong). */
export class WebhookResponseError extends RrrError {
  constructor(
    readonly origin: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(
      status >= 500 || status === 429 ? 'SERVICE_UNAVAILABLE' : 'SERVICE_FAILED',
      `webhook ${origin} answered HTTP ${status}`,
      { details: { origin, status } },
    );
  }
}

const MAX_RESPONSE_BYTES = 64 * 1024;

function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 60_000) : undefined;
}

/**
 * POSTs each notification as JSON, with a timeout per attempt and retries with exponential backoff (core's `retry`).
 * A connection is opened per delivery and closed after it: alerts are rare, and no idle socket outlives a test or a
 * shutdown.
 */
export class WebhookNotifier implements AlertNotifier {
  readonly name: string;
  private readonly url: URL;
  private readonly origin: string;
  private readonly options: WebhookNotifierOptions;
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(options: WebhookNotifierOptions) {
    let url: URL | undefined;
    try {
      url = new URL(options.url);
    } catch {
      url = undefined;
    }
    const timeoutMs = options.timeoutMs ?? 5_000;
    const retries = options.retries ?? 3;
    const problems = [];
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problems.push({ field: 'url', message: 'must be an http:// or https:// URL' });
    }
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      problems.push({ field: 'timeoutMs', message: 'must be an integer number of milliseconds > 0', value: timeoutMs });
    }
    if (!Number.isInteger(retries) || retries < 0) {
      problems.push({ field: 'retries', message: 'must be an integer ≥ 0', value: retries });
    }
    if (problems.length > 0 || url === undefined) throw new ValidationError('webhook notifier', problems);
    this.url = url;
    this.origin = url.origin;
    this.options = options;
    this.timeoutMs = timeoutMs;
    this.retries = retries;
    this.name = options.name ?? 'webhook';
  }

  async notify(notification: AlertNotification): Promise<void> {
    const payload = JSON.stringify(this.options.body ? this.options.body(notification) : notification);
    await retry(() => withTimeout((signal) => this.post(payload, signal), this.timeoutMs, `webhook ${this.origin}`), {
      retries: this.retries,
      baseDelayMs: this.options.baseDelayMs ?? 500,
      maxDelayMs: this.options.maxDelayMs ?? 10_000,
      retryIf: (error) => !(error instanceof WebhookResponseError) || error.code === 'SERVICE_UNAVAILABLE',
      retryAfterMs: (error) => (error instanceof WebhookResponseError ? error.retryAfterMs : undefined),
      onRetry: ({ error, attempt, delayMs }) =>
        this.options.logger?.warn(
          { notifier: this.name, origin: this.origin, attempt, delayMs, err: error },
          `webhook ${this.origin}: attempt ${attempt} failed, retrying in ${delayMs} ms`,
        ),
      sleep: this.options.sleep ?? sleep,
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
    });
  }

  private post(payload: string, signal: AbortSignal): Promise<void> {
    const client = this.url.protocol === 'https:' ? https : http;
    return new Promise<void>((resolve, reject) => {
      const request = client.request(
        this.url,
        {
          method: 'POST',
          agent: false,
          signal,
          headers: {
            'user-agent': 'rrr-monitoring',
            ...this.options.headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            connection: 'close',
          },
        },
        (response) => {
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            // The body is not used; an endless one must not be buffered or keep the socket.
            if (received > MAX_RESPONSE_BYTES) response.destroy();
          });
          response.on('error', () => undefined);
          response.on('close', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else
              reject(
                new WebhookResponseError(
                  this.origin,
                  status,
                  retryAfterMs(response.headers['retry-after'] as string | undefined),
                ),
              );
          });
        },
      );
      request.on('error', (error) =>
        reject(new RrrError('SERVICE_UNAVAILABLE', `webhook ${this.origin}: ${error.message}`, { cause: error })),
      );
      request.end(payload);
    });
  }
}
