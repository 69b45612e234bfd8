import { TimeoutError } from '@rrr/core';

/**
 * Polls an asynchronous probe until it returns something other than undefined, and returns that; rejects with a
 * TimeoutError naming `what` after `timeoutMs`. For specs that wait on another process or the bus (an HTTP answer, a
 * row in PostgreSQL) without fixed sleeps.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 5_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new TimeoutError(`waiting for ${what}`, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
