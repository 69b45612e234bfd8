import { createBackfillSource, runBackfill } from '@rrr/data-pipeline';
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
const MINUTE = 60_000;
const PANEL = '#predictions';
const FORM = `${PANEL} form.training-form`;
const TRAIN = `${FORM} button[name="train"]`;
const JOB = `${FORM} .training-job`;
const POST_TRAINING = 'POST /api/v1/models/training';
const MODEL = 'btc-usd-logistic-5m@1';
/** The browser's own console line for an answer the test asks for on purpose. */
const BAD_REQUEST_LINE = /^Failed to load resource: .* 400 \(Bad Request\)$/;

interface StoredModel {
  modelId: string;
  kind: string;
  status: string;
}

const KEYS = { trade: { scope: 'trade' }, read: { scope: 'read' } } as const;

let browser: TestChromium;
let platform: DashboardPlatform<keyof typeof KEYS>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchTestChromium();
  // Ten hours of BTC-USD minute bars (`rrr data backfill --source synthetic`) to train on, and no model yet; the live
  // feed then adds a one-minute bar every second (60×), each one a prediction once a model is served.
  platform = await startDashboardPlatform(
    KEYS,
    async (db) => {
      const to = Math.floor(Date.now() / MINUTE) * MINUTE;
      const spec = {
        source: 'synthetic' as const,
        symbol: 'BTC-USD',
        interval: '1m' as const,
        from: to - 600 * MINUTE,
        to,
      };
      await runBackfill(db, { ...spec, source: createBackfillSource(spec) });
    },
    { data: { liveSpeed: 60, liveHistoryBars: 40 } },
  );
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await browser?.close();
});

async function openDashboard(symbol: string): Promise<{ page: Page; watched: PageWatch }> {
  const page = await browser.context.newPage();
  const watched = watch(page);
  await page.goto(`${platform.platform.url()}/?symbol=${symbol}`);
  await page.waitForSelector(`${PANEL}[data-state="ready"][data-symbol="${symbol}"]`);
  return { page, watched };
}

async function storedModels(): Promise<StoredModel[]> {
  const list = await callApi<{ items: StoredModel[] }>(`${platform.api}/models?symbol=BTC-USD`);
  expect(list.status).toBe(200);
  return list.body.items;
}

describe('training a model from the predictions panel, against the real platform in Chromium', () => {
  it('trains a logistic model for the charted pair; its predictions appear without a restart', async () => {
    const { page, watched } = await openDashboard('BTC-USD');
    expect(await dataset(page, PANEL)).toMatchObject({ rows: '0', activeModels: '0' });
    expect(await page.textContent(`${PANEL} .empty`)).toBe(
      'No model is active for BTC-USD. Train one below, or with ' +
        'npm run rrr -- model train --symbol BTC-USD --interval 1m --horizon 5m --model logistic ' +
        '(or --model mlp, lstm, ensemble): the running platform serves it within seconds of its activation, no ' +
        'restart needed.',
    );
    await enterApiKey(page, platform.keys.trade);
    expect(await page.isEnabled(TRAIN)).toBe(true);
    expect(await page.getAttribute(TRAIN, 'title')).toBe(
      'train, register and activate a model for this symbol (trade)',
    );
    // The charted symbol and interval, the horizon its minute bars learn by default, the kinds training takes.
    expect(await page.textContent(`${FORM} output[name="symbol"]`)).toBe('BTC-USD (1m)');
    expect(await texts(page, `${FORM} select[name="kind"] option`)).toEqual(['logistic', 'mlp', 'lstm', 'ensemble']);
    expect(await texts(page, `${FORM} select[name="horizon"] option`)).toEqual([
      '1m ahead',
      '5m ahead',
      '15m ahead',
      '1h ahead',
      '1d ahead',
    ]);
    expect(await page.inputValue(`${FORM} select[name="horizon"]`)).toBe('5m');

    await page.click(TRAIN);
    await page.waitForSelector(JOB);
    const id = (await dataset(page, JOB))['id'];
    await page.waitForSelector(`${JOB}[data-id="${id}"][data-status="completed"]`, { timeout: 20_000 });
    expect(await page.textContent(`${JOB} .job-status`)).toBe(`completed · ${MODEL} active, served`);
    expect(await page.$eval(`${JOB} progress`, (bar) => (bar as unknown as { value: number }).value)).toBe(1);
    expect(await page.isHidden(`${JOB} .job-problem`)).toBe(true);

    // The API trained what the form asked for and activated it.
    const job = await callApi<{ status: string; request: Record<string, unknown>; result: { model: string } }>(
      `${platform.api}/models/training/${id}`,
    );
    expect(job.body).toMatchObject({
      status: 'completed',
      request: { symbol: 'BTC-USD', interval: '1m', horizon: '5m', kind: 'logistic', activate: true },
      result: { model: MODEL },
    });
    expect(await storedModels()).toEqual([expect.objectContaining({ modelId: MODEL, status: 'active' })]);

    // The panel read the active models again, and the served model's predictions arrive at the next live bars.
    await page.waitForSelector(`${PANEL}[data-active-models="1"]`);
    await page.waitForSelector(`${PANEL} tr[data-key="${MODEL}"]`, { timeout: 10_000 });
    const row = await texts(page, `${PANEL} tr[data-key="${MODEL}"] td`);
    expect(row[0]).toMatch(new RegExp(`^${MODEL}5m ahead · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$`));
    expect(['down', 'flat', 'up']).toContain(row[1]);
    const stored = await callApi<{ items: { model: string }[] }>(`${platform.api}/predictions?symbol=BTC-USD&limit=5`);
    expect(stored.body.items.map((p) => p.model)).toContain(MODEL);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-model-training.png'), fullPage: true });

    // The key went to its check and the POST only; the job was read without it.
    expect(watched.authorized).toEqual([KEY_CHECK, POST_TRAINING]);
    expect(watched.requests).toContain(`${platform.api}/models/training/${id}`);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 40_000);

  it('cancels a running training job from the panel; nothing is registered', async () => {
    const before = await storedModels();
    const { page, watched } = await openDashboard('BTC-USD');
    await enterApiKey(page, platform.keys.trade);
    // An ensemble fits three models one after another: time enough to cancel it while it runs.
    await page.selectOption(`${FORM} select[name="kind"]`, 'ensemble');
    await page.click(TRAIN);
    await page.waitForSelector(`${JOB}[data-status="running"]`, { timeout: 10_000 });
    await page.click(`${JOB} button[name="cancel"]`);
    await page.waitForSelector(`${JOB}[data-status="cancelled"]`, { timeout: 10_000 });
    expect(await page.textContent(`${JOB} .job-problem`)).toBe('cancelled: cancelled on request');
    expect(await page.$(`${JOB} button[name="cancel"]`)).toBeNull();
    expect(await storedModels()).toEqual(before);
    expect(watched.authorized).toEqual([
      KEY_CHECK,
      POST_TRAINING,
      `POST /api/v1/models/training/${(await dataset(page, JOB))['id']}/cancel`,
    ]);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 30_000);

  it('disables Train without a key and with a read key, and lists a refusal by field', async () => {
    const { page, watched } = await openDashboard('ETH-USD');
    expect(await page.isDisabled(TRAIN)).toBe(true);
    expect(await page.getAttribute(TRAIN, 'title')).toBe(
      'needs an API key with trade scope: enter one under "API key" at the top',
    );
    expect(await page.textContent(`${FORM} .form-hint`)).toBe(
      'Train is unavailable: needs an API key with trade scope: enter one under "API key" at the top.',
    );
    await enterApiKey(page, platform.keys.read);
    expect(await page.isDisabled(TRAIN)).toBe(true);
    expect(await page.textContent(`${FORM} .form-hint`)).toBe(
      'Train is unavailable: this key has read scope; training a model needs trade.',
    );
    await enterApiKey(page, platform.keys.trade);
    expect(await page.isEnabled(TRAIN)).toBe(true);

    // ETH-USD has only the live feed's few minute bars: the API refuses, naming the symbol.
    await page.click(TRAIN);
    await page.waitForSelector(`${FORM}[data-state="refused"] .form-problems li[data-field="symbol"]`);
    const [problem] = await texts(page, `${FORM} .form-problems li`);
    expect(problem).toMatch(
      /^symbol: has \d+ 1m bars stored; training needs at least 200 \(58 of them warm the features up\)$/,
    );
    expect(await page.getAttribute(`${FORM} output[name="symbol"]`, 'aria-invalid')).toBe('true');
    expect(await page.$(JOB)).toBeNull();

    expect(watched.authorized).toEqual([KEY_CHECK, KEY_CHECK, POST_TRAINING]);
    expect(watched.consoleErrors).toHaveLength(1);
    expect(watched.consoleErrors[0]).toMatch(BAD_REQUEST_LINE);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 30_000);
});
