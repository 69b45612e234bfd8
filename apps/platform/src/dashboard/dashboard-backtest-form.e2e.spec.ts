import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { callApi } from '../testing/start-jobs-platform';
import { enterApiKey, KEY_CHECK } from './testing/enter-api-key';
import { launchTestChromium, type TestChromium } from './testing/launch-test-chromium';
import { dataset, texts } from './testing/page-probes';
import { CLEAN_PAGE, pageProblems, watch, type PageWatch } from './testing/page-watch';
import { startDashboardPlatform, type DashboardPlatform } from './testing/start-dashboard-platform';

const ARTIFACTS = join(__dirname, '../../../../dist/test-artifacts/dashboard');
const FORM = '#backtests form.backtest-form';
const RUN = `${FORM} button[name="run"]`;
const POST_BACKTEST = 'POST /api/v1/backtests';
/** The browser's own console line for an answer the test asks for on purpose. */
const BAD_REQUEST_LINE = /^Failed to load resource: .* 400 \(Bad Request\)$/;

interface StoredRun {
  id: string;
  strategy: string;
  symbols: string[];
  status: string;
  from: number;
  to: number;
  params: Record<string, unknown>;
  trades: unknown[];
  equity: unknown[];
}

const KEYS = { trade: { scope: 'trade' }, read: { scope: 'read' } } as const;

let browser: TestChromium;
let platform: DashboardPlatform<keyof typeof KEYS>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchTestChromium();
  platform = await startDashboardPlatform(KEYS);
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await browser?.close();
});

async function openDashboard(): Promise<{ page: Page; watched: PageWatch }> {
  const page = await browser.context.newPage();
  const watched = watch(page);
  await page.goto(`${platform.platform.url()}/`);
  await page.waitForSelector('#backtests[data-state="ready"]');
  return { page, watched };
}

async function storedRunIds(): Promise<string[]> {
  const list = await callApi<{ items: { id: string }[] }>(`${platform.api}/backtests?limit=200`);
  expect(list.status).toBe(200);
  return list.body.items.map((run) => run.id);
}

async function fillForm(
  page: Page,
  form: { strategy: string; symbols: string; from: string; to: string; params: Record<string, string> },
): Promise<void> {
  await page.selectOption(`${FORM} select[name="strategy"]`, form.strategy);
  await page.fill(`${FORM} input[name="symbols"]`, form.symbols);
  await page.fill(`${FORM} input[name="from"]`, form.from);
  await page.fill(`${FORM} input[name="to"]`, form.to);
  for (const [name, value] of Object.entries(form.params))
    await page.fill(`${FORM} input[name="params.${name}"]`, value);
}

describe('starting a backtest from the dashboard, against the real platform in Chromium', () => {
  it('runs sma-cross 10/30 on SPX from the form: progress to completion, then the run listed and opened', async () => {
    const before = await storedRunIds();
    const { page, watched } = await openDashboard();
    await enterApiKey(page, platform.keys.trade);
    expect(await page.isEnabled(RUN)).toBe(true);
    expect(await page.getAttribute(RUN, 'title')).toBe('queue this backtest (trade)');
    // The form offers the API's strategies, and the chosen one's parameters with their defaults.
    expect(await texts(page, `${FORM} select[name="strategy"] option`)).toEqual([
      'sma-cross',
      'bollinger',
      'buy-and-hold',
      'predictor',
    ]);
    expect(await page.getAttribute(`${FORM} input[name="params.slow"]`, 'placeholder')).toBe('50');

    await fillForm(page, {
      strategy: 'sma-cross',
      symbols: 'SPX',
      from: '2015-01-01',
      to: '2019-12-31',
      params: { fast: '10', slow: '30' },
    });
    await page.click(RUN);
    const job = `${FORM} .backtest-job`;
    await page.waitForSelector(job);
    const id = (await dataset(page, job))['id'];
    expect(before).not.toContain(id);
    await page.waitForSelector(`${job}[data-id="${id}"][data-status="completed"]`, { timeout: 20_000 });

    // The bar is full and says how many bars were replayed, as the progress route reports them.
    const progress = await callApi<{ status: string; fraction: number; barsProcessed: number; barsTotal: number }>(
      `${platform.api}/backtests/${id}/progress`,
    );
    expect(progress.body).toMatchObject({ status: 'completed', fraction: 1 });
    expect(progress.body.barsTotal).toBeGreaterThan(1_000);
    expect(await page.$eval(`${job} progress`, (bar) => (bar as unknown as { value: number }).value)).toBe(1);
    const bars = new Intl.NumberFormat('en-US').format(progress.body.barsTotal);
    expect(await page.textContent(`${job} .job-status`)).toBe(`completed · ${bars} / ${bars} bars · 100.00%`);
    expect(Number((await dataset(page, job))['polls'])).toBeGreaterThanOrEqual(1);
    expect(await page.isHidden(`${job} .job-problem`)).toBe(true);

    // The list was read again and holds the run; its detail opened.
    await page.waitForSelector(`#backtests tr[data-key="${id}"].selected`);
    await page.waitForSelector(`#backtests .backtest-detail[data-state="ready"][data-id="${id}"]`);
    expect(new URL(page.url()).hash).toBe(`#backtest=${id}`);

    // What the API stored is what the form asked for.
    const stored = await callApi<StoredRun>(`${platform.api}/backtests/${id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      id,
      strategy: 'sma-cross',
      symbols: ['SPX'],
      status: 'completed',
      params: { fast: 10, slow: 30 },
      // The last day is included: the range ends where 2020 begins.
      from: Date.UTC(2015, 0, 1),
      to: Date.UTC(2020, 0, 1),
    });
    // The page names the last day included, as the form took it, not the stored exclusive end.
    expect(await page.textContent('#backtests .backtest-detail h3')).toBe(
      'sma-cross · SPX · 2015-01-01 → 2019-12-31 · fast=10 slow=30',
    );
    const row = await texts(page, `#backtests tr[data-key="${id}"] td`);
    expect(row.slice(1, 5)).toEqual(['sma-cross', 'SPX', '2015-01-01', '2019-12-31']);
    const detail = await dataset(page, '#backtests .backtest-detail');
    expect(detail['trades']).toBe(String(stored.body.trades.length));
    expect(detail['points']).toBe(String(stored.body.equity.length));
    expect(await storedRunIds()).toEqual([id, ...before]);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-backtest-completed.png'), fullPage: true });

    // The key went to its check and the POST only; the progress was read without it.
    expect(watched.authorized).toEqual([KEY_CHECK, POST_BACKTEST]);
    expect(watched.requests).toContain(`${platform.api}/backtests/${id}/progress`);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 60_000);

  it('lists each problem of a refused request by field, marks the fields, and stores nothing', async () => {
    const before = await storedRunIds();
    const { page, watched } = await openDashboard();
    await enterApiKey(page, platform.keys.trade);
    await fillForm(page, {
      strategy: 'sma-cross',
      symbols: 'SPX',
      from: '2015-01-01',
      to: '2019-12-31',
      params: { fast: '50', slow: '20' },
    });
    await page.click(RUN);
    await page.waitForSelector(`${FORM}[data-state="refused"]`);
    expect(await texts(page, `${FORM} .form-problems li`)).toEqual([
      'params.fast: must be < slow (got fast 50, slow 20)',
    ]);
    expect(await page.getAttribute(`${FORM} .form-problems li`, 'data-field')).toBe('params.fast');
    expect(await page.getAttribute(`${FORM} input[name="params.fast"]`, 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(`${FORM} input[name="params.slow"]`, 'aria-invalid')).toBeNull();
    expect(await page.$(`${FORM} .backtest-job`)).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-backtest-refused.png'), fullPage: true });

    // Fixed parameters but a range with no data: the old problem goes, the new one names its own field.
    await fillForm(page, {
      strategy: 'sma-cross',
      symbols: 'SPX',
      from: '2030-01-01',
      to: '2030-06-30',
      params: { fast: '10', slow: '30' },
    });
    await page.click(RUN);
    await page.waitForSelector(`${FORM}[data-state="refused"] .form-problems li[data-field="from"]`);
    expect(await texts(page, `${FORM} .form-problems li`)).toEqual([
      'from: is after the last bar: SPX 1d data covers 2000-01-03 … 2020-04-17',
    ]);
    expect(await page.getAttribute(`${FORM} input[name="from"]`, 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(`${FORM} input[name="params.fast"]`, 'aria-invalid')).toBeNull();
    expect(await page.$(`${FORM} .backtest-job`)).toBeNull();

    expect(await storedRunIds()).toEqual(before);
    expect(watched.authorized).toEqual([KEY_CHECK, POST_BACKTEST, POST_BACKTEST]);
    // The only console errors are the browser's own lines for the two 400 answers.
    expect(watched.consoleErrors).toHaveLength(2);
    for (const line of watched.consoleErrors) expect(line).toMatch(BAD_REQUEST_LINE);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 30_000);

  it('disables Run without a key and with a read key, saying which key it needs', async () => {
    const { page, watched } = await openDashboard();
    expect(await page.isDisabled(RUN)).toBe(true);
    expect(await page.getAttribute(RUN, 'title')).toBe(
      'needs an API key with trade scope: enter one under "API key" at the top',
    );
    await enterApiKey(page, platform.keys.read);
    expect(await page.isDisabled(RUN)).toBe(true);
    expect(await page.getAttribute(RUN, 'title')).toBe('this key has read scope; starting a backtest needs trade');
    // Enter in a field submits the form; a disabled Run must not let it through either.
    await page.press(`${FORM} input[name="symbols"]`, 'Enter');
    expect(await page.getAttribute(FORM, 'data-state')).toBe('idle');
    await enterApiKey(page, platform.keys.trade);
    expect(await page.isEnabled(RUN)).toBe(true);

    expect(watched.authorized).toEqual([KEY_CHECK, KEY_CHECK]);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 20_000);
});
