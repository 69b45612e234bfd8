import type { Page } from 'playwright-core';

/** The request with which the page checks a key before keeping it (and a kept one on load). */
export const KEY_CHECK = 'GET /api/v1/auth/key';

/** Types a key in the header and presses "Use key"; the page keeps it once the server has described it. */
export async function enterApiKey(page: Page, key: string): Promise<void> {
  await page.fill('#api-key input[name="api-key"]', key);
  await page.click('#api-key button[name="use"]');
  await page.waitForSelector('#api-key[data-key="set"]');
}
