import type {
  OptimizationJob,
  OptimizationMethodSpec,
  PortfolioOptimization,
  PortfolioRun,
} from '@rrr/quantum-optimization';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { callApi } from '../testing/start-jobs-platform';
import { cancelUnfinishedJobs } from './testing/cancel-unfinished-jobs';
import { enterApiKey, KEY_CHECK } from './testing/enter-api-key';
import { launchTestChromium, type TestChromium } from './testing/launch-test-chromium';
import { dataset, texts, waitForTrue } from './testing/page-probes';
import { CLEAN_PAGE, pageProblems, watch, type PageWatch } from './testing/page-watch';
import { startDashboardPlatform, type DashboardPlatform } from './testing/start-dashboard-platform';
import { storeDailySeries } from './testing/store-daily-series';

const ARTIFACTS = join(__dirname, '../../../../dist/test-artifacts/dashboard');
const PANEL = '#optimizations';
const FORM = `${PANEL} form.optimization-form`;
const RUN = `${FORM} button[name="run"]`;
const DETAIL = `${PANEL} .optimization-detail`;
const POST_OPTIMIZATION = 'POST /api/v1/optimizations';
const job = (id: string) => `${FORM} .optimization-job[data-id="${id}"]`;
const cancelButton = (id: string) => `${job(id)} button[name="cancel"]`;
/** The browser's own console line for an answer the test asks for on purpose. */
const BAD_REQUEST_LINE = /^Failed to load resource: .* 400 \(Bad Request\)$/;

// Twenty daily series of 8 years beside the bundled SPX and AAPL. QAOA on all twenty simulates a 20-qubit circuit
// 60 times (~0.15–0.35 s each): a solve of many seconds, long enough to cancel while it runs. The service solves one
// job at a time, so a second job waits in the queue meanwhile.
const WAVES = Array.from({ length: 20 }, (_, i) => `WAVE${String(i + 1).padStart(2, '0')}`);
const WAVES_FROM = Date.UTC(2012, 0, 1);
const WAVES_TO = Date.UTC(2020, 0, 1);

const KEYS = { trade: { scope: 'trade' }, read: { scope: 'read' } } as const;

/** The dashboard's percentages: two decimals, en-US. */
const percent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const formatPercent = (fraction: number) => percent.format(Math.abs(fraction) < 0.00005 ? 0 : fraction);
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const formatSharpe = (value: number) => twoDecimals.format(Math.abs(value) < 0.005 ? 0 : value);

let browser: TestChromium;
let platform: DashboardPlatform<keyof typeof KEYS>;
/** Every job a test started: whatever a failed test left queued or running is cancelled before the next one. */
const started: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchTestChromium();
  platform = await startDashboardPlatform(KEYS, (db) => storeDailySeries(db, WAVES, WAVES_FROM, WAVES_TO));
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await browser?.close();
});

afterEach(async () => {
  if (platform === undefined) return;
  await cancelUnfinishedJobs(started, {
    collection: `${platform.api}/optimizations`,
    statusOf: async (id) => (await jobOf(id)).status,
    key: platform.keys.trade,
  });
});

async function jobOf(id: string): Promise<OptimizationJob> {
  const answer = await callApi<OptimizationJob>(`${platform.api}/optimizations/${id}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

async function storedJobIds(): Promise<string[]> {
  const list = await callApi<{ items: { id: string }[] }>(`${platform.api}/optimizations?limit=200`);
  expect(list.status).toBe(200);
  return list.body.items.map((item) => item.id);
}

async function openDashboard(): Promise<{ page: Page; watched: PageWatch }> {
  const page = await browser.context.newPage();
  const watched = watch(page);
  await page.goto(`${platform.platform.url()}/`);
  await page.waitForSelector(`${PANEL}[data-state="ready"]`);
  // The symbols are read: Run waits only for a key.
  await page.waitForSelector(`${FORM} input[name="symbol"]`);
  return { page, watched };
}

interface FormEntry {
  symbols: readonly string[];
  method?: string;
  k?: string;
  riskAversion?: string;
  seed?: string;
  from?: string;
  to?: string;
}

async function fillForm(page: Page, entry: FormEntry): Promise<void> {
  const offered = await page.$$eval(`${FORM} input[name="symbol"]`, (boxes) =>
    boxes.map((box) => box.getAttribute('value') ?? ''),
  );
  for (const symbol of offered) {
    await page.setChecked(`${FORM} input[name="symbol"][value="${symbol}"]`, entry.symbols.includes(symbol));
  }
  await page.selectOption(`${FORM} select[name="method"]`, entry.method ?? 'all');
  await page.fill(`${FORM} input[name="k"]`, entry.k ?? '');
  await page.fill(`${FORM} input[name="riskAversion"]`, entry.riskAversion ?? '');
  await page.fill(`${FORM} input[name="seed"]`, entry.seed ?? '');
  await page.fill(`${FORM} input[name="from"]`, entry.from ?? '');
  await page.fill(`${FORM} input[name="to"]`, entry.to ?? '');
}

/** Fills the form, presses Run, and returns the id of the job the page then shows first (the newest). */
async function submitFromForm(page: Page, entry: FormEntry): Promise<string> {
  const shown = (await page.$$(`${FORM} .optimization-job`)).length;
  await fillForm(page, entry);
  await page.click(RUN);
  await waitForTrue(
    page,
    `document.querySelectorAll(${JSON.stringify(`${FORM} .optimization-job`)}).length === ${shown + 1}`,
  );
  const id = (await dataset(page, `${FORM} .optimization-job`))['id'];
  started.push(id);
  return id;
}

/** The weights table of the detail: `[symbol, weight]` per holding, the total row apart. */
async function shownWeights(page: Page): Promise<{ rows: string[][]; total: string; bars: number[] }> {
  return page.$eval(`${DETAIL} .optimization-weights`, (box) => ({
    rows: [...box.querySelectorAll('tbody tr:not(.weight-total)')].map((row) =>
      [...row.querySelectorAll('td')].slice(0, 2).map((cell) => cell.textContent ?? ''),
    ),
    total: box.querySelector('tr.weight-total td:nth-child(2)')?.textContent ?? '',
    // The bar's length in % of the track (the browser keeps a few significant digits of the width it was given).
    bars: [...box.querySelectorAll('.weight-fill')].map((bar) =>
      parseFloat((bar as unknown as { style: { width: string } }).style.width),
    ),
  }));
}

function expectedWeights(run: PortfolioRun): { rows: string[][]; total: string } {
  return {
    rows: run.holdings.map((holding) => [holding.symbol, formatPercent(holding.weight)]),
    total: formatPercent(run.holdings.reduce((sum, holding) => sum + holding.weight, 0)),
  };
}

function runOf(result: PortfolioOptimization, method: string | null): PortfolioRun {
  const run = result.runs.find((r) => r.method === method);
  if (run === undefined) throw new Error(`the result has no ${String(method)} run`);
  return run;
}

/** The detail shows `run`'s weights as the dashboard formats them, a bar each as long as its weight. */
async function expectWeightsShown(page: Page, run: PortfolioRun): Promise<void> {
  const shown = await shownWeights(page);
  expect({ rows: shown.rows, total: shown.total }).toEqual(expectedWeights(run));
  expect(shown.bars).toHaveLength(run.holdings.length);
  shown.bars.forEach((length, i) => expect(length).toBeCloseTo(run.holdings[i].weight * 100, 3));
}

describe('portfolio optimisation from the dashboard, against the real platform in Chromium', () => {
  it('runs every method on four stored daily series from the form and shows the weights the API stored', async () => {
    const before = await storedJobIds();
    const { page, watched } = await openDashboard();
    await enterApiKey(page, platform.keys.trade);
    expect(await page.isEnabled(RUN)).toBe(true);
    expect(await page.isHidden(`${FORM} .form-availability`)).toBe(true);

    // The form offers the symbols with daily bars, SPX and AAPL ticked, and the route's defaults.
    expect(
      await page.$$eval(`${FORM} input[name="symbol"]`, (boxes) => boxes.map((b) => b.getAttribute('value'))),
    ).toEqual(['AAPL', 'SPX', ...WAVES]);
    expect(
      await page.$$eval(`${FORM} input[name="symbol"]:checked`, (boxes) => boxes.map((b) => b.getAttribute('value'))),
    ).toEqual(['AAPL', 'SPX']);
    expect(await texts(page, `${FORM} select[name="method"] option`)).toEqual([
      'all',
      'exact',
      'qaoa',
      'anneal',
      'tempering',
      'mean-variance',
    ]);
    expect(await page.inputValue(`${FORM} select[name="method"]`)).toBe('all');
    expect(await page.inputValue(`${FORM} select[name="interval"]`)).toBe('1d');
    expect(await page.getAttribute(`${FORM} input[name="k"]`, 'placeholder')).toBe('1');
    expect(await page.getAttribute(`${FORM} input[name="riskAversion"]`, 'placeholder')).toBe('1');
    expect(await page.getAttribute(`${FORM} input[name="seed"]`, 'placeholder')).toBe('1');
    // Methods, intervals and bounds as GET /api/v1/optimizations/methods lists them (read without a key).
    expect(watched.requests).toContain(`${platform.platform.url()}/api/v1/optimizations/methods`);
    const catalog = await callApi<{ items: OptimizationMethodSpec[] }>(`${platform.api}/optimizations/methods`);
    const all = catalog.body.items.find((m) => m.id === 'all');
    expect(await page.textContent(`${FORM} .form-hint`)).toBe(`${all?.description} — ${all?.limits}`);
    await page.selectOption(`${FORM} select[name="method"]`, 'mean-variance');
    expect(await page.textContent(`${FORM} .form-hint`)).toBe(
      'continuous long-only weights maximising return − λ·variance (quadprog) — not a k-asset selection: its run is ' +
        'reported beside the winner, not ranked; ignores k and seed',
    );
    expect(await texts(page, `${FORM} select[name="interval"] option`)).toEqual(['1m', '5m', '15m', '1h', '4h', '1d']);
    expect(
      await page.$eval(`${FORM}`, (form) =>
        ['k', 'riskAversion', 'seed'].map((name) => {
          const input = form.querySelector(`input[name="${name}"]`);
          return [name, input?.getAttribute('min') ?? null, input?.getAttribute('max') ?? null];
        }),
      ),
    ).toEqual([
      ['k', '1', '20'],
      ['riskAversion', '0', null],
      ['seed', null, null],
    ]);

    const symbols = ['AAPL', 'SPX', 'WAVE01', 'WAVE02'];
    // A high λ, so that mean-variance spreads its weight over several assets.
    await fillForm(page, { symbols, riskAversion: '4', seed: '7', from: '2014-01-01', to: '2017-12-31' });
    // k's default follows the ticked symbols: half of four.
    expect(await page.getAttribute(`${FORM} input[name="k"]`, 'placeholder')).toBe('2');
    await page.click(RUN);
    await page.waitForSelector(`${FORM} .optimization-job`);
    const id = (await dataset(page, `${FORM} .optimization-job`))['id'];
    started.push(id);
    expect(before).not.toContain(id);
    await page.waitForSelector(`${job(id)}[data-status="completed"]`, { timeout: 20_000 });

    const stored = await jobOf(id);
    expect(stored.status).toBe('completed');
    // What the form sent, with the route's defaults for the rest; the last day included to its end.
    expect(stored.request).toEqual({
      symbols,
      k: 2,
      method: 'all',
      riskAversion: 4,
      seed: 7,
      interval: '1d',
      from: Date.UTC(2014, 0, 1),
      to: Date.UTC(2018, 0, 1) - 1,
    });
    // The bar times all four share: AAPL's and SPX's trading days of 2014 … 2017.
    expect([stored.inputs.firstTs, stored.inputs.lastTs]).toEqual([Date.UTC(2014, 0, 2), Date.UTC(2017, 11, 29)]);
    const result = stored.result;
    if (result === null) throw new Error(`completed job ${id} has no result`);
    const winner = runOf(result, result.winner.method);
    expect(result.runs.map((run) => run.method)).toEqual(['exact', 'qaoa', 'anneal', 'tempering', 'mean-variance']);
    expect(await page.textContent(`${job(id)} .job-status`)).toMatch(
      new RegExp(`^completed in \\d+\\.?\\d* s · winner ${winner.method}$`),
    );
    expect(await page.$eval(`${job(id)} progress`, (bar) => (bar as unknown as { value: number }).value)).toBe(1);

    // The list was read again, newest first, and the job's detail opened on the winner's weights.
    await page.waitForSelector(`${DETAIL}[data-state="ready"][data-id="${id}"]`);
    expect(new URL(page.url()).hash).toBe(`#optimization=${id}`);
    expect(
      await page.$$eval(`${PANEL} .optimization-list tbody tr`, (rows) => rows.map((r) => r.getAttribute('data-key'))),
    ).toEqual(await storedJobIds());
    expect(await storedJobIds()).toEqual([id, ...before]);
    expect(await page.getAttribute(`${PANEL} .optimization-list tr[data-key="${id}"]`, 'class')).toContain('selected');
    const detail = await dataset(page, DETAIL);
    expect([detail['status'], detail['run']]).toEqual(['completed', winner.method]);
    expect(await page.textContent(`${DETAIL} h3`)).toBe(`all · k = 2 of 4 · ${symbols.join(', ')}`);
    expect(await page.textContent(`${DETAIL} .winner-sentence`)).toBe(result.winner.sentence);

    // The winner: k equal weights, fully invested.
    await expectWeightsShown(page, winner);
    expect(winner.holdings).toHaveLength(2);
    expect(winner.holdings.reduce((sum, h) => sum + h.weight, 0)).toBeCloseTo(1, 12);
    expect(Number(detail['weightSum'])).toBeCloseTo(1, 12);
    expect(await page.textContent(`${DETAIL} .weights-figures`)).toBe(
      ` · return ${formatPercent(winner.expectedReturn)} · volatility ${formatPercent(winner.volatility)} · ` +
        `Sharpe ${formatSharpe(winner.expectedReturn / winner.volatility)}`,
    );

    // Every method's run, side by side, as the API reported it.
    const runRows = await page.$$eval(`${DETAIL} .table-wrap tr[data-key]`, (rows) =>
      rows
        .filter((row) => row.closest('.optimization-weights') === null)
        .map((row) => [
          row.getAttribute('data-key'),
          ...[...row.querySelectorAll('td')].slice(2, 5).map((c) => c.textContent),
        ]),
    );
    expect(runRows).toEqual(
      result.runs.map((run) => [
        run.method,
        formatPercent(run.expectedReturn),
        formatPercent(run.volatility),
        formatSharpe(run.expectedReturn / run.volatility),
      ]),
    );

    // Mean-variance spreads its weight freely; it too is fully invested (Σw = 1).
    const meanVariance = runOf(result, 'mean-variance');
    await page.click(`${DETAIL} tr[data-key="mean-variance"]`);
    await page.waitForSelector(
      `${DETAIL}[data-run="mean-variance"] .optimization-weights[data-method="mean-variance"]`,
    );
    await expectWeightsShown(page, meanVariance);
    expect(meanVariance.holdings.length).toBeGreaterThan(1);
    expect(meanVariance.holdings.reduce((sum, h) => sum + h.weight, 0)).toBeCloseTo(1, 6);
    expect((await shownWeights(page)).total).toBe('100.00%');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-optimisation-completed.png'), fullPage: true });

    // The key went to its check and the POST only; the job was read without it.
    expect(watched.authorized).toEqual([KEY_CHECK, POST_OPTIMIZATION]);
    expect(watched.requests).toContain(`${platform.api}/optimizations/${id}`);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 40_000);

  it('disables Run for a read key saying why, and shows each refused field next to its control', async () => {
    const before = await storedJobIds();
    const { page, watched } = await openDashboard();
    expect(await page.isDisabled(RUN)).toBe(true);
    expect(await page.textContent(`${FORM} .form-availability`)).toBe(
      'Run is disabled: needs an API key with trade scope: enter one under "API key" at the top',
    );
    await enterApiKey(page, platform.keys.read);
    expect(await page.isDisabled(RUN)).toBe(true);
    expect(await page.getAttribute(RUN, 'title')).toBe('this key has read scope; starting an optimisation needs trade');
    expect(await page.textContent(`${FORM} .form-availability`)).toBe(
      'Run is disabled: this key has read scope; starting an optimisation needs trade',
    );
    await enterApiKey(page, platform.keys.trade);
    expect(await page.isEnabled(RUN)).toBe(true);
    expect(await page.isHidden(`${FORM} .form-availability`)).toBe(true);

    // More assets to select than symbols ticked: the service names k.
    await fillForm(page, { symbols: ['AAPL', 'SPX', 'WAVE01', 'WAVE02'], k: '9' });
    await page.click(RUN);
    await page.waitForSelector(`${FORM}[data-state="refused"]`);
    expect(await texts(page, `${FORM} .form-problems li`)).toEqual([
      'k: must be an integer from 1 to the number of symbols (4)',
    ]);
    expect(await page.getAttribute(`${FORM} .form-problems li`, 'data-field')).toBe('k');
    expect(await page.getAttribute(`${FORM} input[name="k"]`, 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(`${FORM} fieldset[name="symbols"]`, 'aria-invalid')).toBeNull();

    // A negative λ is refused by the route's schema, which names the body's field; the old mark goes.
    await fillForm(page, { symbols: ['AAPL', 'SPX'], riskAversion: '-1' });
    await page.click(RUN);
    await page.waitForSelector(`${FORM}[data-state="refused"] .form-problems li[data-field="body.riskAversion"]`);
    expect(await texts(page, `${FORM} .form-problems li`)).toEqual(['body.riskAversion: must be >= 0']);
    expect(await page.getAttribute(`${FORM} input[name="riskAversion"]`, 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(`${FORM} input[name="k"]`, 'aria-invalid')).toBeNull();

    // One symbol only: the symbol choices are marked.
    await fillForm(page, { symbols: ['SPX'] });
    await page.click(RUN);
    await page.waitForSelector(`${FORM}[data-state="refused"] .form-problems li[data-field="symbols"]`);
    expect(await texts(page, `${FORM} .form-problems li`)).toEqual([
      'symbols: must name 2 to 20 assets (1 valid given)',
    ]);
    expect(await page.getAttribute(`${FORM} fieldset[name="symbols"]`, 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(`${FORM} input[name="riskAversion"]`, 'aria-invalid')).toBeNull();
    expect(await page.$(`${FORM} .optimization-job`)).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-optimisation-refused.png'), fullPage: true });

    expect(await storedJobIds()).toEqual(before);
    expect(watched.authorized).toEqual([KEY_CHECK, KEY_CHECK, POST_OPTIMIZATION, POST_OPTIMIZATION, POST_OPTIMIZATION]);
    expect(watched.consoleErrors).toHaveLength(3);
    for (const line of watched.consoleErrors) expect(line).toMatch(BAD_REQUEST_LINE);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 30_000);

  it('cancels a queued job and a running QAOA solve with their Cancel buttons', async () => {
    const { page, watched } = await openDashboard();
    await enterApiKey(page, platform.keys.trade);
    const running = await submitFromForm(page, { symbols: WAVES, method: 'qaoa', k: '5' });
    await page.waitForSelector(`${job(running)}[data-status="running"]`, { timeout: 10_000 });
    const queued = await submitFromForm(page, { symbols: ['AAPL', 'SPX'], method: 'exact' });
    // One solve at a time: the second job waits behind the first, as the page shows.
    await page.waitForSelector(`${job(queued)}[data-status="queued"]:not([data-polls="0"])`);
    expect(await page.textContent(`${job(queued)} .job-status`)).toBe('queued');
    expect(await page.getAttribute(cancelButton(running), 'title')).toBe(`cancel optimisation ${running} (trade)`);

    // A read key may watch but not cancel.
    await enterApiKey(page, platform.keys.read);
    expect(await page.isDisabled(cancelButton(running))).toBe(true);
    expect(await page.getAttribute(cancelButton(running), 'title')).toBe(
      'this key has read scope; cancelling an optimisation needs trade',
    );
    await enterApiKey(page, platform.keys.trade);

    // The queued job ends cancelled at once; the running one goes on meanwhile.
    await page.click(cancelButton(queued));
    await page.waitForSelector(`${job(queued)}[data-status="cancelled"]`);
    expect(await page.textContent(`${job(queued)} .job-problem`)).toBe('cancelled: cancelled before it started');
    expect(await page.$(cancelButton(queued))).toBeNull();
    expect(await jobOf(queued)).toMatchObject({
      status: 'cancelled',
      error: 'cancelled before it started',
      result: null,
    });
    expect((await dataset(page, job(running)))['status']).toBe('running');

    // The list was read again when the queued job ended: the running job is listed, and its detail opens running.
    await page.waitForSelector(`${PANEL} tr[data-key="${running}"]`);
    expect((await texts(page, `${PANEL} tr[data-key="${running}"] td`))[4]).toBe('running');
    await page.click(`${PANEL} tr[data-key="${running}"]`);
    await page.waitForSelector(`${DETAIL}[data-state="ready"][data-id="${running}"][data-status="running"]`);
    expect(await page.textContent(`${DETAIL} .optimization-status`)).toBe(
      'running: the result shows once it has completed',
    );
    expect(await page.textContent(`${DETAIL} h3`)).toBe(`qaoa · k = 5 of 20 · ${WAVES.join(', ')}`);

    // The running solve's worker is terminated: the job ends cancelled, without a result.
    await page.click(cancelButton(running));
    await page.waitForSelector(`${job(running)}[data-status="cancelled"]`, { timeout: 10_000 });
    expect(await page.textContent(`${job(running)} .job-problem`)).toBe('cancelled: cancelled on request');
    expect(await page.$(cancelButton(running))).toBeNull();
    expect(await jobOf(running)).toMatchObject({ status: 'cancelled', error: 'cancelled on request', result: null });

    // The open detail, read again while the job ran, says how it ended and why; the list row too.
    await page.waitForSelector(`${DETAIL}[data-state="ready"][data-id="${running}"][data-status="cancelled"]`);
    expect(await page.textContent(`${DETAIL} .optimization-status`)).toBe('cancelled: cancelled on request');
    expect(await page.$(`${DETAIL} .optimization-weights`)).toBeNull();
    await waitForTrue(
      page,
      `document.querySelector(${JSON.stringify(`${PANEL} tr[data-key="${running}"] td:nth-child(5)`)})?.textContent === 'cancelled'`,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-optimisation-cancelled.png'), fullPage: true });

    expect(watched.authorized).toEqual([
      KEY_CHECK,
      POST_OPTIMIZATION,
      POST_OPTIMIZATION,
      KEY_CHECK,
      KEY_CHECK,
      `POST /api/v1/optimizations/${queued}/cancel`,
      `POST /api/v1/optimizations/${running}/cancel`,
    ]);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 40_000);
});
