import type { BacktestJobProgress } from '@rrr/backtesting';
import { openDatabase } from '@rrr/core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ApiKeyStore } from '../security';
import { callApi } from '../testing/start-jobs-platform';
import { cancelUnfinishedJobs } from './testing/cancel-unfinished-jobs';
import { enterApiKey, KEY_CHECK } from './testing/enter-api-key';
import { launchTestChromium, type TestChromium } from './testing/launch-test-chromium';
import { dataset, texts, waitForTrue } from './testing/page-probes';
import { CLEAN_PAGE, pageProblems, watch, type PageWatch } from './testing/page-watch';
import { startDashboardPlatform, type DashboardPlatform } from './testing/start-dashboard-platform';
import { storeDailySeries } from './testing/store-daily-series';

const ARTIFACTS = join(__dirname, '../../../../dist/test-artifacts/dashboard');
const FORM = '#backtests form.backtest-form';
const POST_BACKTEST = 'POST /api/v1/backtests';
const job = (id: string) => `${FORM} .backtest-job[data-id="${id}"]`;
const cancelButton = (id: string) => `${job(id)} button[name="cancel"]`;

// Twenty daily series of 55 years, and a 2/5 cross that trades every few bars: a replay of ~400,000 bars and
// thousands of orders, several seconds long. The backtesting service replays one job at a time, so while it runs a
// second job waits in the queue.
const LONG_SYMBOLS = Array.from({ length: 20 }, (_, i) => `LONG${String(i + 1).padStart(2, '0')}`);
const LONG_FROM = Date.UTC(1970, 0, 1);
const LONG_TO = Date.UTC(2025, 0, 1);
const LONG_JOB = { strategy: 'sma-cross', symbols: LONG_SYMBOLS.join(', '), from: '', to: '', fast: '2', slow: '5' };
const SHORT_JOB = { strategy: 'sma-cross', symbols: 'SPX', from: '2015-01-01', to: '2019-12-31', fast: '', slow: '' };

// `doomed` is revoked once the page has kept it.
const KEYS = { trade: { scope: 'trade' }, read: { scope: 'read' }, doomed: { scope: 'trade' } } as const;

let browser: TestChromium;
let platform: DashboardPlatform<keyof typeof KEYS>;
/** Every job a test started: whatever a failed test left queued or running is cancelled before the next one. */
const started: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchTestChromium();
  platform = await startDashboardPlatform(KEYS, (db) => storeDailySeries(db, LONG_SYMBOLS, LONG_FROM, LONG_TO));
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await browser?.close();
});

afterEach(async () => {
  if (platform === undefined) return;
  await cancelUnfinishedJobs(started, {
    collection: `${platform.api}/backtests`,
    statusOf: async (id) => (await progressOf(id)).status,
    key: platform.keys.trade,
  });
});

async function progressOf(id: string): Promise<BacktestJobProgress> {
  const progress = await callApi<BacktestJobProgress>(`${platform.api}/backtests/${id}/progress`);
  expect(progress.status).toBe(200);
  return progress.body;
}

async function openDashboard(): Promise<{ page: Page; watched: PageWatch }> {
  const page = await browser.context.newPage();
  const watched = watch(page);
  // The page's timers are the test's to stop (see the 409 case); they run at the real pace until then.
  await page.clock.install();
  await page.goto(`${platform.platform.url()}/`);
  await page.waitForSelector('#backtests[data-state="ready"]');
  return { page, watched };
}

/** Fills the form, presses Run, and returns the id of the job the page then shows first (the newest). */
async function submitFromForm(page: Page, form: typeof LONG_JOB): Promise<string> {
  const shown = (await page.$$(`${FORM} .backtest-job`)).length;
  await page.selectOption(`${FORM} select[name="strategy"]`, form.strategy);
  await page.fill(`${FORM} input[name="symbols"]`, form.symbols);
  await page.fill(`${FORM} input[name="from"]`, form.from);
  await page.fill(`${FORM} input[name="to"]`, form.to);
  await page.fill(`${FORM} input[name="params.fast"]`, form.fast);
  await page.fill(`${FORM} input[name="params.slow"]`, form.slow);
  await page.click(`${FORM} button[name="run"]`);
  await waitForTrue(
    page,
    `document.querySelectorAll(${JSON.stringify(`${FORM} .backtest-job`)}).length === ${shown + 1}`,
  );
  const id = (await dataset(page, `${FORM} .backtest-job`))['id'];
  started.push(id);
  return id;
}

async function cancelState(page: Page, id: string): Promise<{ disabled: boolean; title: string; text: string }> {
  return page.$eval(cancelButton(id), (button) => ({
    disabled: button.hasAttribute('disabled'),
    title: button.getAttribute('title') ?? '',
    text: button.textContent ?? '',
  }));
}

describe('cancelling a backtest job from its progress bar, against the real platform in Chromium', () => {
  it('cancels a queued job and a running one with their Cancel buttons, which a read key may not press', async () => {
    const { page, watched } = await openDashboard();
    await enterApiKey(page, platform.keys.trade);
    const running = await submitFromForm(page, LONG_JOB);
    await page.waitForSelector(`${job(running)}[data-status="running"]`);
    const queued = await submitFromForm(page, SHORT_JOB);
    // One replay at a time: the second job waits behind the first, as the page shows.
    expect((await dataset(page, job(queued)))['status']).toBe('queued');
    await page.waitForSelector(`${job(queued)}[data-status="queued"]:not([data-polls="0"])`);
    expect(await page.textContent(`${job(queued)} .job-status`)).toBe('queued · 0.00%');
    for (const id of [running, queued]) {
      expect(await cancelState(page, id)).toEqual({
        disabled: false,
        title: `cancel backtest ${id} (trade)`,
        text: 'Cancel',
      });
    }

    // A read key may watch but not cancel; the title says why, and the buttons come back with a trade key.
    await enterApiKey(page, platform.keys.read);
    for (const id of [running, queued]) {
      expect(await cancelState(page, id)).toEqual({
        disabled: true,
        title: 'this key has read scope; cancelling a backtest needs trade',
        text: 'Cancel',
      });
    }
    await page.click('#api-key button[name="forget"]');
    expect((await cancelState(page, queued)).title).toBe(
      'needs an API key with trade scope: enter one under "API key" at the top',
    );
    await enterApiKey(page, platform.keys.trade);
    expect((await cancelState(page, queued)).disabled).toBe(false);

    // The queued job ends cancelled at once, before it ever started; the running one goes on meanwhile.
    await page.click(cancelButton(queued));
    await page.waitForSelector(`${job(queued)}[data-status="cancelled"]`);
    expect(await page.textContent(`${job(queued)} .job-status`)).toBe('cancelled · 0.00%');
    expect(await page.textContent(`${job(queued)} .job-problem`)).toBe('cancelled: cancelled before it started');
    expect(await page.$(cancelButton(queued))).toBeNull();
    expect(await progressOf(queued)).toMatchObject({ status: 'cancelled', error: 'cancelled before it started' });
    expect((await dataset(page, job(running)))['status']).toBe('running');

    // The running replay is aborted part-way and ends cancelled.
    await page.click(cancelButton(running));
    await page.waitForSelector(`${job(running)}[data-status="cancelled"]`, { timeout: 10_000 });
    expect(await page.textContent(`${job(running)} .job-problem`)).toBe('cancelled: cancelled on request');
    expect(await page.$(cancelButton(running))).toBeNull();
    const aborted = await progressOf(running);
    expect(aborted).toMatchObject({ status: 'cancelled', error: 'cancelled on request' });
    expect(aborted.barsProcessed).toBeLessThan(aborted.barsTotal as number);
    expect(aborted.fraction).toBeLessThan(1);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-backtest-cancelled.png'), fullPage: true });

    // The list was read again: the aborted run is stored as the API says, and its heading names the last day
    // included (the data ends with 2024-12-31; the stored end is the exclusive 2025-01-01).
    const stored = await callApi<{ status: string; from: number; to: number }>(`${platform.api}/backtests/${running}`);
    expect(stored.status).toBe(200);
    expect([stored.body.from, stored.body.to]).toEqual([LONG_FROM, LONG_TO]);
    await page.waitForSelector(`#backtests tr[data-key="${running}"]`);
    const row = await texts(page, `#backtests tr[data-key="${running}"] td`);
    expect(row.slice(3, 6)).toEqual(['1970-01-01', '2024-12-31', stored.body.status]);
    await page.click(`#backtests tr[data-key="${running}"]`);
    await page.waitForSelector(`#backtests .backtest-detail[data-state="ready"][data-id="${running}"]`);
    expect(await page.textContent('#backtests .backtest-detail h3')).toBe(
      `sma-cross · ${LONG_SYMBOLS.join(', ')} · 1970-01-01 → 2024-12-31 · fast=2 slow=5`,
    );

    // The key went to its checks, the two POSTs and the two cancels only.
    expect(watched.authorized).toEqual([
      KEY_CHECK,
      POST_BACKTEST,
      POST_BACKTEST,
      KEY_CHECK,
      KEY_CHECK,
      `POST /api/v1/backtests/${queued}/cancel`,
      `POST /api/v1/backtests/${running}/cancel`,
    ]);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 60_000);

  it('shows how a job ended when it ended before the click (409), and a refused cancel without losing the job', async () => {
    const { page, watched } = await openDashboard();
    await enterApiKey(page, platform.keys.doomed);
    const running = await submitFromForm(page, LONG_JOB);
    await page.waitForSelector(`${job(running)}[data-status="running"]`);
    const queued = await submitFromForm(page, SHORT_JOB);
    await page.waitForSelector(`${job(queued)}[data-status="queued"]:not([data-polls="0"])`);

    // Stop the page's clock, so its next progress read waits, and end the queued job from elsewhere: the page still
    // offers Cancel, and the server answers 409.
    // (pauseAt moves the clock forward: a moment ahead of the page's time, which runs on while this is sent.)
    await page.clock.pauseAt((await page.evaluate<number>('Date.now()')) + 1_000);
    // A read already on its way when the clock stopped lands now; none starts after it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const polls = (await dataset(page, job(queued)))['polls'];
    expect((await dataset(page, job(queued)))['status']).toBe('queued');
    const elsewhere = await callApi<BacktestJobProgress>(`${platform.api}/backtests/${queued}/cancel`, {
      method: 'POST',
      key: platform.keys.trade,
    });
    expect([elsewhere.status, elsewhere.body.status]).toEqual([202, 'cancelled']);
    await page.click(cancelButton(queued));
    await page.waitForSelector(`${job(queued)}[data-status="cancelled"]`, { timeout: 5_000 });
    expect(await page.textContent(`${job(queued)} .job-problem`)).toBe('cancelled: cancelled before it started');
    expect(await page.$(cancelButton(queued))).toBeNull();
    // The final state came from the read after the 409, not from the stopped polling.
    expect((await dataset(page, job(queued)))['polls']).toBe(polls);
    await page.clock.resume();

    // The page's key is revoked from another process: the cancel is refused, the page says so and keeps watching.
    const db = await openDatabase({ sqlitePath: platform.sqlitePath });
    try {
      expect((await new ApiKeyStore(db).revoke(platform.keyIds.doomed)).alreadyRevoked).toBe(false);
    } finally {
      await db.close();
    }
    await page.click(cancelButton(running));
    const refusal = `POST /api/v1/backtests/${running}/cancel failed: 401 UNAUTHORIZED — API key ${platform.keyIds.doomed} was revoked`;
    await page.waitForSelector(`${job(running)} .job-problem:not([hidden])`);
    expect(await page.textContent(`${job(running)} .job-problem`)).toBe(refusal);
    expect(await cancelState(page, running)).toEqual({
      disabled: false,
      title: `cancel backtest ${running} (trade)`,
      text: 'Cancel',
    });
    const pollsAfterRefusal = Number((await dataset(page, job(running)))['polls']);
    await waitForTrue(
      page,
      `Number(document.querySelector(${JSON.stringify(job(running))}).dataset.polls) > ${pollsAfterRefusal}`,
    );
    expect((await dataset(page, job(running)))['status']).toBe('running');
    expect((await progressOf(running)).status).toBe('running');

    // With a valid key the same button cancels it, and the refusal gives way to how the job ended.
    await enterApiKey(page, platform.keys.trade);
    await page.click(cancelButton(running));
    await page.waitForSelector(`${job(running)}[data-status="cancelled"]`, { timeout: 10_000 });
    expect(await page.textContent(`${job(running)} .job-problem`)).toBe('cancelled: cancelled on request');

    expect(watched.authorized).toEqual([
      KEY_CHECK,
      POST_BACKTEST,
      POST_BACKTEST,
      `POST /api/v1/backtests/${queued}/cancel`,
      `POST /api/v1/backtests/${running}/cancel`,
      KEY_CHECK,
      `POST /api/v1/backtests/${running}/cancel`,
    ]);
    // The browser's own lines for the 409 and the 401 are the only console errors.
    expect(watched.consoleErrors).toHaveLength(2);
    expect(watched.consoleErrors[0]).toMatch(/^Failed to load resource: .* 409 \(Conflict\)$/);
    expect(watched.consoleErrors[1]).toMatch(/^Failed to load resource: .* 401 \(Unauthorized\)$/);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 60_000);
});
