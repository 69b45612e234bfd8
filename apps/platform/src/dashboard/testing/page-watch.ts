import type { Page } from 'playwright-core';

/** What a page did while a test drove it. */
export interface PageWatch {
  /** Every URL the page asked for, WebSocket connections included. */
  requests: string[];
  /** `METHOD path` of every request that carried an Authorization header (where the page sent the key). */
  authorized: string[];
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
}

/** Starts recording `page`'s requests (and which carried a key), console errors and uncaught exceptions. */
export function watch(page: Page): PageWatch {
  const watched: PageWatch = { requests: [], authorized: [], consoleErrors: [], pageErrors: [] };
  page.on('request', (request) => {
    watched.requests.push(request.url());
    if (request.headers()['authorization'] !== undefined)
      watched.authorized.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  page.on('websocket', (socket) => watched.requests.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') watched.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watched.pageErrors.push(error.message));
  return watched;
}

/** The requests that left the loopback address (there must be none: the page talks only to its own server). */
export function offLoopback(watched: PageWatch): string[] {
  return watched.requests.filter((url) => new URL(url).hostname !== '127.0.0.1');
}

/**
 * What makes a page unclean: scripts that failed in it, and requests to any host but its own loopback server. A spec
 * expects both empty: `expect(pageProblems(watched)).toEqual(CLEAN_PAGE)`.
 */
export function pageProblems(watched: PageWatch): { pageErrors: string[]; offLoopback: string[] } {
  return { pageErrors: watched.pageErrors, offLoopback: offLoopback(watched) };
}

export const CLEAN_PAGE = { pageErrors: [], offLoopback: [] };
