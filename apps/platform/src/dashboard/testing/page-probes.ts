import type { Page } from 'playwright-core';

// Reads of the dashboard's state from a test. Expressions are strings: they run in the page, and the specs are
// compiled without the DOM library.

/** The data-* attributes the panels publish (camel-cased, as `dataset` has them). */
export function dataset(page: Page, selector: string): Promise<Record<string, string>> {
  return page.evaluate<Record<string, string>>(`({ ...document.querySelector(${JSON.stringify(selector)}).dataset })`);
}

/**
 * Polls a page expression until it is true. (page.waitForFunction evaluates a string predicate with eval, which the
 * dashboard's content security policy rightly refuses.)
 */
export async function waitForTrue(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The text of every element `selector` matches. */
export function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (cells) => cells.map((c) => c.textContent ?? ''));
}
