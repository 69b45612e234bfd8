import { withTimeout } from '@rrr/core';

/**
 * The next item of a stream, or a TimeoutError naming `what` after `timeoutMs`; an ended stream is a failure too.
 * For tests reading live feeds, where a missing event must fail the test instead of hanging it.
 */
export async function nextItem<T>(iterator: AsyncIterator<T>, what: string, timeoutMs = 3_000): Promise<T> {
  const result = await withTimeout(iterator.next(), timeoutMs, `waiting for ${what}`);
  if (result.done) throw new Error(`iteration ended while waiting for ${what}`);
  return result.value;
}
