import { TimeoutError } from '@rrr/core';

/**
 * Polls `condition` every few milliseconds until it holds; rejects with a TimeoutError naming `what` after `timeoutMs`.
 * For tests that wait on another process or socket (a fake server receiving a resubscribe) without fixed sleeps.
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new TimeoutError(`waiting for ${what}`, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
