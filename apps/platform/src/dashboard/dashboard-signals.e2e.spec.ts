import { createBackfillSource, runBackfill } from '@rrr/data-pipeline';
import { trainModel } from '@rrr/neural-network';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { callApi } from '../testing/start-jobs-platform';
import { launchTestChromium, type TestChromium } from './testing/launch-test-chromium';
import { dataset, texts, waitForTrue } from './testing/page-probes';
import { CLEAN_PAGE, pageProblems, watch } from './testing/page-watch';
import { startDashboardPlatform, type DashboardPlatform } from './testing/start-dashboard-platform';

const ARTIFACTS = join(__dirname, '../../../../dist/test-artifacts/dashboard');
const SMA = 'sma-cross(20,50)';
/**
 * A one-minute bar every second; and 40 stored bars per pair, nine fewer than the SMA 20/50 strategy warms up from,
 * so its first signals come at the tenth live bar, about ten seconds after start: the page is open by then and gets
 * them over the WebSocket (a reload then reads them over REST).
 */
const FAST_FEED = { data: { liveSpeed: 60, liveHistoryBars: 40 } };
const MINUTE = 60_000;
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const probability = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const isoTime = (ts: number) => new Date(ts).toISOString().replace('T', ' ').slice(0, 19);

interface StoredSignal {
  ts: number;
  symbol: string;
  source: string;
  direction: string;
  strength: number;
  price: number | null;
  reason: string | null;
}

/** In one evaluation, so no event lands between the reads: the Signals panel's rows by symbol and the chart's marks. */
const SHOWN = `(() => {
  const symbols = [...document.querySelectorAll('#signals tbody tr')].map((tr) => tr.cells[1].textContent);
  const count = (symbol) => symbols.filter((s) => s === symbol).length;
  const chart = document.querySelector('#candles').dataset;
  return { btc: count('BTC-USD'), eth: count('ETH-USD'), chartSymbol: chart.symbol, signalMarkers: Number(chart.signalMarkers) };
})()`;

interface Shown {
  btc: number;
  eth: number;
  chartSymbol: string;
  signalMarkers: number;
}

const rowOf = (symbol: string) =>
  `[...document.querySelectorAll('#signals tbody tr')].some((tr) => tr.cells[1].textContent === '${symbol}' && tr.cells[2].textContent === '${SMA}')`;

interface StoredPrediction {
  ts: number;
  model: string;
  horizonMs: number | null;
  predicted: string | null;
  probabilities: { down: number; flat: number; up: number };
  confidence: number;
}

let browser: TestChromium;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchTestChromium();
}, 30_000);

afterAll(async () => browser?.close());

/** The SMA strategy's stored signals of `symbol`, oldest first. */
async function storedSignals(api: string, symbol: string): Promise<StoredSignal[]> {
  const answer = await callApi<{ items: StoredSignal[] }>(
    `${api}/signals?symbol=${symbol}&source=${encodeURIComponent(SMA)}`,
  );
  expect(answer.status).toBe(200);
  return answer.body.items.reverse();
}

/** The cells of the Signals panel's row of `signal`, as the page shows them. */
function expectedCells(signal: StoredSignal): string[] {
  return [
    isoTime(signal.ts),
    signal.symbol,
    SMA,
    signal.direction,
    twoDecimals.format(signal.strength),
    signal.price === null ? '—' : twoDecimals.format(signal.price),
    signal.reason ?? '',
  ];
}

async function rowCells(page: Page, signal: StoredSignal): Promise<string[]> {
  return texts(page, `#signals tr[data-key="${signal.symbol} ${SMA} ${signal.ts}"] td`);
}

describe('signals on the dashboard, against the real platform in Chromium', () => {
  let platform: DashboardPlatform<never>;

  beforeAll(async () => {
    platform = await startDashboardPlatform({}, undefined, FAST_FEED);
  }, 60_000);

  afterAll(async () => platform?.stop());

  it("lists every pair's SMA signals as they arrive, and marks only the charted pair's on its chart", async () => {
    const page = await browser.context.newPage();
    const watched = watch(page);
    await page.goto(`${platform.platform.url()}/?symbol=ETH-USD`);
    await page.waitForSelector('#candles[data-state="ready"][data-symbol="ETH-USD"]');
    await page.waitForSelector('#signals[data-state="ready"]');
    await page.selectOption('#symbol', 'BTC-USD');
    await page.waitForSelector('#predictions[data-state="ready"][data-symbol="BTC-USD"]');
    await waitForTrue(page, `document.querySelector('#candles').dataset.symbol === 'BTC-USD'`);

    // Both pairs' first signals, from the tenth live bar on: in the table over the WebSocket.
    await waitForTrue(page, rowOf('BTC-USD'), 20_000);
    await waitForTrue(page, rowOf('ETH-USD'), 10_000);
    expect(Number((await dataset(page, '#signals'))['liveSignals'])).toBeGreaterThanOrEqual(2);
    const [btcFirst] = await storedSignals(platform.api, 'BTC-USD');
    const [ethFirst] = await storedSignals(platform.api, 'ETH-USD');
    for (const first of [btcFirst, ethFirst]) {
      // The first regime after the warm-up: long, or flat (the default strategy does not go short).
      expect(['long', 'flat']).toContain(first.direction);
      expect(await rowCells(page, first)).toEqual(expectedCells(first));
    }

    // The BTC-USD chart marks each BTC-USD signal the page holds and none of ETH-USD's.
    await waitForTrue(page, `Number(document.querySelector('#candles').dataset.signalMarkers) >= 1`);
    const shown = await page.evaluate<Shown>(SHOWN);
    expect(shown.chartSymbol).toBe('BTC-USD');
    expect(shown.eth).toBeGreaterThanOrEqual(1);
    expect(shown.signalMarkers).toBeGreaterThanOrEqual(1);
    expect(shown.signalMarkers).toBe(shown.btc);

    // No model has been trained: the predictions panel says so and how to train one for the charted pair.
    expect(await page.textContent('#predictions .empty')).toBe(
      'No model is active for BTC-USD. Train one below, or with ' +
        'npm run rrr -- model train --symbol BTC-USD --interval 1m --horizon 5m --model logistic ' +
        '(or --model mlp, lstm, ensemble): the running platform serves it within seconds of its activation, no ' +
        'restart needed.',
    );
    expect(await dataset(page, '#predictions')).toMatchObject({ rows: '0', activeModels: '0' });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-signals.png'), fullPage: true });

    // A reload (the picked pair is in the URL) reads the same signals over REST.
    await page.reload();
    await page.waitForSelector('#candles[data-state="ready"][data-symbol="BTC-USD"]');
    await page.waitForSelector('#signals[data-state="ready"]');
    expect(await rowCells(page, btcFirst)).toEqual(expectedCells(btcFirst));
    expect(await rowCells(page, ethFirst)).toEqual(expectedCells(ethFirst));
    const reloaded = await page.evaluate<Shown>(SHOWN);
    expect(reloaded.chartSymbol).toBe('BTC-USD');
    expect(reloaded.eth).toBeGreaterThanOrEqual(1);
    expect(reloaded.signalMarkers).toBeGreaterThanOrEqual(1);
    expect(reloaded.signalMarkers).toBe(reloaded.btc);

    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 60_000);
});

describe('model predictions on the dashboard, against the real platform in Chromium', () => {
  let platform: DashboardPlatform<never>;
  let modelsDir: string;
  let model: string;

  beforeAll(async () => {
    modelsDir = mkdtempSync(join(tmpdir(), 'rrr-dashboard-models-'));
    // What a user would have done first: ten hours of BTC-USD minute bars (`rrr data backfill --source synthetic`)
    // and a model trained on them as the panel's empty state says (`rrr model train --symbol BTC-USD --interval 1m
    // --horizon 5m --model logistic`), which the platform serves from start: a prediction at every live bar, one a
    // second at 60×.
    platform = await startDashboardPlatform(
      {},
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
        model = (
          await trainModel({ db, modelsDir }, { symbol: 'BTC-USD', kind: 'logistic', interval: '1m', horizon: '5m' })
        ).model;
      },
      { ...FAST_FEED, models: { dir: modelsDir } },
    );
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it("shows each model's latest prediction for the charted symbol as it arrives, and how to train one elsewhere", async () => {
    const page = await browser.context.newPage();
    const watched = watch(page);
    await page.goto(`${platform.platform.url()}/?symbol=BTC-USD`);
    await page.waitForSelector('#predictions[data-state="ready"][data-symbol="BTC-USD"][data-active-models="1"]');
    const row = `#predictions tr[data-key="${model}"] td`;
    await page.waitForSelector(row);

    // The row is one the API stored (found by its time): model, horizon, class and probabilities as it gives them.
    const first = await texts(page, row);
    const answer = await callApi<{ items: StoredPrediction[] }>(`${platform.api}/predictions?symbol=BTC-USD&limit=100`);
    const stored = answer.body.items.find(
      (p) => p.model === model && first[0] === `${model}5m ahead · ${isoTime(p.ts)}`,
    );
    if (stored === undefined) throw new Error(`the API stored no prediction of ${model} shown as ${first[0]}`);
    const { down, flat, up } = stored.probabilities;
    expect(first).toEqual([
      `${model}5m ahead · ${isoTime(stored.ts)}`,
      stored.predicted,
      probability.format(down),
      probability.format(flat),
      probability.format(up),
      probability.format(stored.confidence),
    ]);
    expect(stored.horizonMs).toBe(5 * MINUTE);
    expect(down + flat + up).toBeCloseTo(1, 6);

    // The page does not poll: a newer prediction in the same row came over the WebSocket.
    await waitForTrue(page, `document.querySelector('${row}').textContent !== ${JSON.stringify(first[0])}`);
    expect(await page.getAttribute('#predictions', 'data-rows')).toBe('1');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-predictions.png'), fullPage: true });

    // ETH-USD has no model: the panel says how to train one for it.
    await page.selectOption('#symbol', 'ETH-USD');
    await page.waitForSelector('#predictions[data-state="ready"][data-symbol="ETH-USD"][data-rows="0"]');
    expect(await page.textContent('#predictions .empty')).toBe(
      'No model is active for ETH-USD. Train one below, or with ' +
        'npm run rrr -- model train --symbol ETH-USD --interval 1m --horizon 5m --model logistic ' +
        '(or --model mlp, lstm, ensemble): the running platform serves it within seconds of its activation, no ' +
        'restart needed.',
    );
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 40_000);
});
