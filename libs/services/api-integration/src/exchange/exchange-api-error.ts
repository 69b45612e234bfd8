import { errorMessage, RrrError, type ErrorCode } from '@rrr/core';
import type * as Ccxt from 'ccxt';
import { redactSecrets } from '../http/redact';

/** An exchange refused or failed an operation; `venueError` is the ccxt error class that reported it. */
export class ExchangeApiError extends RrrError {
  readonly exchange: string;
  readonly operation: string;
  readonly venueError: string;

  constructor(code: ErrorCode, exchange: string, operation: string, venueError: string, message: string) {
    super(code, `${exchange} ${operation}: ${venueError}: ${message}`, {
      details: { exchange, operation, venueError },
    });
    this.exchange = exchange;
    this.operation = operation;
    this.venueError = venueError;
  }
}

type CcxtErrors = Pick<
  typeof Ccxt,
  | 'AuthenticationError'
  | 'PermissionDenied'
  | 'AccountSuspended'
  | 'InsufficientFunds'
  | 'InvalidOrder'
  | 'OrderNotFound'
  | 'BadSymbol'
  | 'BadRequest'
  | 'ArgumentsRequired'
  | 'NotSupported'
  | 'DDoSProtection'
  | 'RequestTimeout'
  | 'ExchangeNotAvailable'
  | 'NetworkError'
  | 'BadResponse'
  | 'NullResponse'
  | 'BaseError'
>;

/** Most specific first: ccxt's classes inherit (RateLimitExceeded is a DDoSProtection is a NetworkError). */
function codeOf(error: unknown, ccxt: CcxtErrors): ErrorCode {
  if (error instanceof ccxt.PermissionDenied || error instanceof ccxt.AccountSuspended) return 'FORBIDDEN';
  if (error instanceof ccxt.AuthenticationError) return 'UNAUTHORIZED';
  if (error instanceof ccxt.OrderNotFound) return 'NOT_FOUND';
  if (error instanceof ccxt.InsufficientFunds || error instanceof ccxt.InvalidOrder) return 'ORDER_INVALID';
  if (
    error instanceof ccxt.BadSymbol ||
    error instanceof ccxt.ArgumentsRequired ||
    error instanceof ccxt.NotSupported
  ) {
    return 'VALIDATION_FAILED';
  }
  if (error instanceof ccxt.BadRequest) return 'VALIDATION_FAILED';
  if (error instanceof ccxt.DDoSProtection) return 'RATE_LIMITED';
  if (error instanceof ccxt.RequestTimeout) return 'TIMEOUT';
  if (error instanceof ccxt.BadResponse || error instanceof ccxt.NullResponse) return 'DATA_INVALID';
  // Coinbase Advanced Trade refuses an order with `success: false` and an `error_response` (INSUFFICIENT_FUND,
  // INVALID_LIMIT_PRICE…), which ccxt raises as a plain ExchangeError carrying the body: the order was refused.
  if (
    error instanceof Error &&
    /"success":\s*false/.test(error.message) &&
    error.message.includes('"error_response"')
  ) {
    return 'ORDER_INVALID';
  }
  // …and an unknown order with `{"error":"NOT_FOUND"}`, which ccxt's error table (lower-case `not_found`) misses.
  if (error instanceof Error && /"error":\s*"NOT_FOUND"/.test(error.message)) return 'NOT_FOUND';
  return 'SERVICE_UNAVAILABLE';
}

/**
 * An RrrError for whatever an exchange call threw. RrrErrors (from our HttpClient: timeouts, open circuits, 5xx after
 * retries) pass through; ccxt errors become ExchangeApiError with a stable code. ccxt messages can carry signed URLs
 * and echoed bodies, so query strings are cut and the credentials scrubbed; the ccxt error itself is not attached.
 */
export function toExchangeError(
  error: unknown,
  exchange: string,
  operation: string,
  ccxt: CcxtErrors,
  secrets: readonly (string | undefined)[],
): RrrError {
  if (error instanceof RrrError) return error;
  const venueError = error instanceof Error ? error.constructor.name : typeof error;
  const raw = errorMessage(error);
  const withoutQueries = raw.replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1');
  const message = redactSecrets(withoutQueries, secrets).slice(0, 500);
  return new ExchangeApiError(
    error instanceof ccxt.BaseError ? codeOf(error, ccxt) : 'INTERNAL',
    exchange,
    operation,
    venueError,
    message,
  );
}
