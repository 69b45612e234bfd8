/**
 * Hands a live feed's bar or trade to its consumer. A consumer that throws or rejects is reported through `onError`
 * and never stops the feed.
 */
export function deliverFeedEvent<T>(
  callback: ((value: T) => void | Promise<void>) | undefined,
  value: T,
  onError: ((error: unknown) => void) | undefined,
): void {
  if (callback === undefined) return;
  try {
    const result = callback(value);
    if (result instanceof Promise) result.catch((err: unknown) => onError?.(err));
  } catch (err) {
    onError?.(err);
  }
}
