import { DEFAULT_TIME_IN_FORCE, type OrderRequest } from '@rrr/core';

/**
 * The request in a canonical form (defaults applied, absent and null alike, fixed key order), so a retried submit can
 * be compared with the order its client order id already names: same fingerprint, same order; different, CONFLICT.
 * The client order id itself is not part of it.
 */
export function orderRequestFingerprint(request: OrderRequest): string {
  const bracket = request.bracket ?? undefined;
  return JSON.stringify([
    request.symbol,
    request.side,
    request.type,
    request.quantity,
    request.price ?? null,
    request.stopPrice ?? null,
    request.trailingPercent ?? null,
    request.trailingAmount ?? null,
    request.timeInForce ?? DEFAULT_TIME_IN_FORCE,
    request.reduceOnly === true,
    bracket === undefined ? null : [bracket.stopLoss ?? null, bracket.takeProfit ?? null],
  ]);
}

/** The bracket a fingerprint was made with (stored orders keep their bracket prices only there). */
export function bracketOfFingerprint(fingerprint: string): OrderRequest['bracket'] {
  const parsed: unknown = JSON.parse(fingerprint);
  const bracket = Array.isArray(parsed) ? (parsed[10] as unknown) : null;
  if (!Array.isArray(bracket)) return undefined;
  const [stopLoss, takeProfit] = bracket as [number | null, number | null];
  return {
    ...(stopLoss === null ? {} : { stopLoss }),
    ...(takeProfit === null ? {} : { takeProfit }),
  };
}
