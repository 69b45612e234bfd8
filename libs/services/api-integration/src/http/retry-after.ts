/**
 * Milliseconds a `Retry-After` header asks us to wait: either delay-seconds (`120`, fractions tolerated) or an
 * HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`) read against `nowMs`. A date in the past means "now" (0). Anything
 * unparseable is undefined, so the caller falls back to its own backoff instead of retrying at once.
 */
export function parseRetryAfterMs(value: string | readonly string[] | undefined, nowMs: number): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (typeof header !== 'string') return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Date.parse accepts many shapes; an HTTP-date always names a weekday or month, digits alone were handled above.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
