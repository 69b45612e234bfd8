import type { Page } from 'playwright-core';

/** What a page did while a test drove it. */
export interface PageWatch {
  /** Every URL the page asked for, WebSocket connections included. */
  requests: string[];
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
}

/** Starts recording `page`'s requests, console errors and uncaught exceptions. */
export function watch(page: Page): PageWatch {
  const watched: PageWatch = { requests: [], consoleErrors: [], pageErrors: [] };
  page.on('request', (request) => watched.requests.push(request.url()));
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
