import { openDatabase, type Order } from '@rrr/core';
import type { CircuitBreakerView } from '@rrr/risk-management';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ApiKeyStore } from '../security';
import { callApi } from '../testing/start-jobs-platform';
import { enterApiKey as enterKey, KEY_CHECK } from './testing/enter-api-key';
import { launchTestChromium, type TestChromium } from './testing/launch-test-chromium';
import { dataset, texts, waitForTrue } from './testing/page-probes';
import { CLEAN_PAGE, pageProblems, watch, type PageWatch } from './testing/page-watch';
import { startDashboardPlatform, type DashboardPlatform } from './testing/start-dashboard-platform';

const ARTIFACTS = join(__dirname, '../../../../dist/test-artifacts/dashboard');
const CONTROLS = ['kill-switch', 'release', 'resume'] as const;
const control = (name: string) => `#risk-controls button[name="${name}"]`;

interface ErrorBody {
  error: { code: string; message: string };
}

// `revoked` is revoked before the page ever sees it; `doomed` once the page has kept it.
const KEYS = {
  admin: { scope: 'admin' },
  trade: { scope: 'trade' },
  read: { scope: 'read' },
  revoked: { scope: 'trade', revoked: true },
  doomed: { scope: 'trade' },
} as const;
type KeyLabel = keyof typeof KEYS;

let browser: TestChromium;
let platform: DashboardPlatform<KeyLabel>;
let api: string;
let keys: Record<KeyLabel, string>;
let keyIds: Record<KeyLabel, string>;
const needsAdminKey = 'needs an API key with admin scope: enter one under "API key" at the top';

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchTestChromium();
  // The engaged kill switch is logged as a CRITICAL alert, which is what these tests do on purpose.
  platform = await startDashboardPlatform(KEYS);
  ({ api, keys, keyIds } = platform);
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await browser?.close();
});

// A test that fails half-way must not leave trading stopped for the next one.
afterEach(async () => {
  if (platform === undefined || !(await breakerFromApi()).killSwitch.engaged) return;
  const released = await callApi(`${api}/risk/kill-switch/release`, { method: 'POST', key: keys.admin, body: {} });
  expect(released.status).toBe(200);
});

/** What the API itself says, independent of the page. */
async function breakerFromApi(): Promise<CircuitBreakerView> {
  const answer = await callApi<CircuitBreakerView>(`${api}/risk/circuit-breaker`);
  expect(answer.status).toBe(200);
  return answer.body;
}

async function placeRestingOrder(): Promise<Order> {
  // A buy far below the market: it rests until cancelled.
  const placed = await callApi<Order>(`${api}/orders`, {
    method: 'POST',
    key: keys.trade,
    body: { symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.01, price: 1 },
  });
  expect(placed.status).toBe(201);
  expect(placed.body.status).toBe('accepted');
  return placed.body;
}

interface OpenedPage {
  page: Page;
  watched: PageWatch;
  /** `METHOD path` of every request that carried an Authorization header. */
  authorized: string[];
}

async function openDashboard(): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  const watched = watch(page);
  await page.goto(`${platform.platform.url()}/`);
  await page.waitForSelector('#risk-controls[data-state="ready"][data-breaker="armed"]');
  await page.waitForSelector('#orders[data-state="ready"]');
  return { page, watched, authorized: watched.authorized };
}

/** What the page keeps in this tab's sessionStorage, parsed. */
async function keptEntry(page: Page): Promise<unknown> {
  const text = await page.evaluate<string | null>(`sessionStorage.getItem('rrr.dashboard.apiKey')`);
  return text === null ? null : JSON.parse(text);
}

/** Revokes a key from outside the platform, as `rrr api-key revoke` in another process would. */
async function revokeKey(id: string): Promise<void> {
  const db = await openDatabase({ sqlitePath: platform.sqlitePath });
  try {
    expect((await new ApiKeyStore(db).revoke(id)).alreadyRevoked).toBe(false);
  } finally {
    await db.close();
  }
}

function controlStates(page: Page): Promise<{ name: string; disabled: boolean; title: string }[]> {
  return page.$$eval('#risk-controls button', (buttons) =>
    buttons.map((b) => ({
      name: b.getAttribute('name') ?? '',
      disabled: b.hasAttribute('disabled'),
      title: b.getAttribute('title') ?? '',
    })),
  );
}

describe('the dashboard’s risk controls and order cancel, against the real platform in Chromium', () => {
  it('disables every control without a key, keeps an entered key in sessionStorage only, and forgets it', async () => {
    const order = await placeRestingOrder();
    const { page, watched, authorized } = await openDashboard();
    expect(await page.getAttribute('#api-key', 'data-key')).toBe('unset');
    expect(await page.textContent('#api-key .api-key-state')).toBe('no key: controls disabled');
    expect(await controlStates(page)).toEqual(CONTROLS.map((name) => ({ name, disabled: true, title: needsAdminKey })));
    expect(await page.isDisabled('#risk-controls input[name="flatten"]')).toBe(true);
    const cancel = `#orders tr[data-key="${order.id}"] button[name="cancel"]`;
    await page.waitForSelector(cancel);
    expect(await page.isDisabled(cancel)).toBe(true);
    expect(await page.getAttribute(cancel, 'title')).toBe(
      'needs an API key with trade scope: enter one under "API key" at the top',
    );

    // A mistyped key is refused in the page, saying what a key looks like; nothing is kept.
    await page.fill('#api-key input[name="api-key"]', 'rrr_not-a-key');
    await page.click('#api-key button[name="use"]');
    await page.waitForSelector('#api-key .api-key-problem:not([hidden])');
    expect(await page.textContent('#api-key .api-key-problem')).toContain('API key: not a platform key');
    expect(await page.getAttribute('#api-key', 'data-key')).toBe('unset');

    await enterKey(page, keys.admin);
    expect(await page.textContent('#api-key .api-key-state')).toBe(`key ${keyIds.admin} · admin (dashboard-admin)`);
    expect(await page.isHidden('#api-key .api-key-problem')).toBe(true);
    // The field is emptied; the key, with the scope and name the server gave, is in this tab's sessionStorage, not in
    // localStorage nor the URL.
    expect(await page.inputValue('#api-key input[name="api-key"]')).toBe('');
    expect(await keptEntry(page)).toEqual({ token: keys.admin, scope: 'admin', name: 'dashboard-admin' });
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect(page.url()).not.toContain(keys.admin);
    expect(await page.isEnabled(control('kill-switch'))).toBe(true);
    expect(await page.isEnabled('#risk-controls input[name="flatten"]')).toBe(true);
    expect(await page.isEnabled(cancel)).toBe(true);

    // A reload of the tab keeps it once the server has confirmed it again; "Forget" drops it and disables the controls.
    await page.reload();
    await page.waitForSelector('#risk-controls[data-state="ready"]');
    await page.waitForSelector('#api-key[data-key="set"]');
    expect(await page.textContent('#api-key .api-key-state')).toBe(`key ${keyIds.admin} · admin (dashboard-admin)`);
    expect(await page.isEnabled(control('kill-switch'))).toBe(true);
    await page.click('#api-key button[name="forget"]');
    await page.waitForSelector('#api-key[data-key="unset"]');
    expect(await page.evaluate<string | null>(`sessionStorage.getItem('rrr.dashboard.apiKey')`)).toBeNull();
    expect((await controlStates(page)).every((c) => c.disabled && c.title === needsAdminKey)).toBe(true);
    expect(await page.isDisabled(cancel)).toBe(true);

    // The key went only to its own check, when entered and after the reload: reads never carry it, nothing was sent.
    expect(authorized).toEqual([KEY_CHECK, KEY_CHECK]);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    // Leaves no working order behind for the kill switch's count in the next test to depend on.
    expect((await callApi(`${api}/orders/${order.id}`, { method: 'DELETE', key: keys.trade })).status).toBe(200);
    await page.close();
  }, 40_000);

  it('with an admin key, engages the kill switch in two clicks (flattening) and releases it, as the API confirms', async () => {
    const resting = await placeRestingOrder();
    const { page, watched, authorized } = await openDashboard();
    await enterKey(page, keys.admin);
    // Nothing to release or resume yet; the kill switch is available.
    const states = Object.fromEntries((await controlStates(page)).map((c) => [c.name, c]));
    expect(states['kill-switch']?.disabled).toBe(false);
    expect(states['release']).toMatchObject({ disabled: true, title: 'the kill switch is not engaged' });
    expect(states['resume']).toMatchObject({
      disabled: true,
      title: 'the circuit breaker is armed: trading is not halted',
    });

    // One click only arms the button, and it disarms by itself after 5 s.
    await page.click(control('kill-switch'));
    expect(await page.textContent(control('kill-switch'))).toBe('Confirm kill switch');
    expect(await page.getAttribute(control('kill-switch'), 'data-armed')).toBe('true');
    await page.waitForSelector(`${control('kill-switch')}:not([data-armed])`, { timeout: 7_000 });
    expect(await page.textContent(control('kill-switch'))).toBe('Kill switch');
    expect((await breakerFromApi()).killSwitch.engaged).toBe(false);

    await page.check('#risk-controls input[name="flatten"]');
    await page.click(control('kill-switch'));
    await page.click(control('kill-switch'));
    await page.waitForSelector('#risk-controls[data-kill-switch="engaged"]');
    const engaged = (await breakerFromApi()).killSwitch;
    expect(engaged).toMatchObject({
      engaged: true,
      flatten: true,
      reason: 'engaged from the dashboard',
      by: `dashboard-admin (${keyIds.admin})`,
    });
    expect((await callApi<Order>(`${api}/orders/${resting.id}`)).body.status).toBe('cancelled');
    await page.waitForSelector('#risk-controls .control-outcome[data-kind="ok"]');
    expect(await page.textContent('#risk-controls .control-outcome')).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Kill switch engaged: 1 order cancelled, 0 flatten orders submitted$/,
    );
    expect(await texts(page, '#risk-controls .control-state .control-value')).toEqual(['armed', 'engaged']);
    expect(await page.textContent('#risk-controls .control-state:nth-child(2) .control-detail')).toContain(
      `by dashboard-admin (${keyIds.admin}): engaged from the dashboard (flattened)`,
    );
    // The cancelled order's row followed, and lost its button.
    await waitForTrue(
      page,
      `document.querySelector('#orders tr[data-key="${resting.id}"]').textContent.includes('cancelled')`,
    );
    expect(await page.$(`#orders tr[data-key="${resting.id}"] button`)).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-kill-switch-engaged.png'), fullPage: true });

    expect(await page.isEnabled(control('release'))).toBe(true);
    await page.click(control('release'));
    await page.waitForSelector('#risk-controls[data-kill-switch="released"]');
    expect((await breakerFromApi()).killSwitch).toEqual({
      engaged: false,
      engagedAt: null,
      by: null,
      reason: null,
      flatten: false,
    });
    await waitForTrue(
      page,
      `document.querySelector('#risk-controls .control-outcome').textContent.endsWith('Kill switch released: new exposure allowed again')`,
    );
    expect(await texts(page, '#risk-controls .control-state .control-value')).toEqual(['armed', 'released']);
    expect(await page.isDisabled(control('release'))).toBe(true);

    // The key went only to its check and with the two mutating calls.
    expect(authorized).toEqual([KEY_CHECK, 'POST /api/v1/risk/kill-switch', 'POST /api/v1/risk/kill-switch/release']);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 40_000);

  it('with a key below admin, disables the controls saying the scope they need; the API still says 403', async () => {
    const order = await placeRestingOrder();
    const { page, watched, authorized } = await openDashboard();
    const cancel = `#orders tr[data-key="${order.id}"] button[name="cancel"]`;
    await page.waitForSelector(cancel);
    await enterKey(page, keys.trade);
    expect(await page.textContent('#api-key .api-key-state')).toBe(`key ${keyIds.trade} · trade (dashboard-trade)`);
    expect(await controlStates(page)).toEqual([
      { name: 'kill-switch', disabled: true, title: 'this key has trade scope; the kill switch needs admin' },
      { name: 'release', disabled: true, title: 'this key has trade scope; releasing the kill switch needs admin' },
      { name: 'resume', disabled: true, title: 'this key has trade scope; resuming trading needs admin' },
    ]);
    expect(await page.isDisabled('#risk-controls input[name="flatten"]')).toBe(true);
    // Cancel needs trade: a trade key may, a read key may not.
    expect(await page.isEnabled(cancel)).toBe(true);
    await enterKey(page, keys.read);
    await page.waitForSelector(`${cancel}[disabled]`);
    expect(await page.getAttribute(cancel, 'title')).toBe('this key has read scope; cancelling an order needs trade');
    expect(await page.getAttribute(control('kill-switch'), 'title')).toBe(
      'this key has read scope; the kill switch needs admin',
    );

    // What the disabled button spares: the server refuses a trade key's kill switch all the same.
    const refused = await callApi<ErrorBody>(`${api}/risk/kill-switch`, {
      method: 'POST',
      key: keys.trade,
      body: { reason: 'engaged from the dashboard', flatten: false },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      `POST /api/v1/risk/kill-switch needs an API key with admin scope; key ${keyIds.trade} has trade scope`,
    );
    expect((await breakerFromApi()).killSwitch.engaged).toBe(false);
    expect((await dataset(page, '#risk-controls'))['killSwitch']).toBe('released');
    // The page sent the keys only to their checks, and nothing the server refused.
    expect(authorized).toEqual([KEY_CHECK, KEY_CHECK]);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    expect((await callApi(`${api}/orders/${order.id}`, { method: 'DELETE', key: keys.trade })).status).toBe(200);
    await page.close();
  }, 20_000);

  it('refuses a revoked key with the server’s message, and drops a kept key revoked since on reload', async () => {
    const { page, watched, authorized } = await openDashboard();
    const problem = '#api-key .api-key-problem:not([hidden])';
    const refusal = await callApi<ErrorBody>(`${api}/auth/key`, { key: keys.revoked });
    expect(refusal.status).toBe(401);
    expect(refusal.body.error.message).toBe(`API key ${keyIds.revoked} was revoked`);

    await page.fill('#api-key input[name="api-key"]', keys.revoked);
    await page.click('#api-key button[name="use"]');
    await page.waitForSelector(problem);
    expect(await page.textContent(problem)).toBe(`API key refused: ${refusal.body.error.message}`);
    expect(await page.getAttribute('#api-key', 'data-key')).toBe('unset');
    expect(await keptEntry(page)).toBeNull();
    expect((await controlStates(page)).every((c) => c.disabled && c.title === needsAdminKey)).toBe(true);

    // A key the page kept, revoked from another process while the tab stays open: the next load drops it.
    await enterKey(page, keys.doomed);
    expect(await page.isHidden('#api-key .api-key-problem')).toBe(true);
    expect(await keptEntry(page)).toEqual({ token: keys.doomed, scope: 'trade', name: 'dashboard-doomed' });
    await revokeKey(keyIds.doomed);
    await page.reload();
    await page.waitForSelector(problem);
    expect(await page.textContent(problem)).toBe(
      `API key ${keyIds.doomed} dropped: API key ${keyIds.doomed} was revoked`,
    );
    expect(await page.getAttribute('#api-key', 'data-key')).toBe('unset');
    expect(await page.textContent('#api-key .api-key-state')).toBe('no key: controls disabled');
    expect(await keptEntry(page)).toBeNull();
    await page.waitForSelector('#risk-controls[data-state="ready"]');
    expect((await controlStates(page)).every((c) => c.disabled && c.title === needsAdminKey)).toBe(true);

    expect(authorized).toEqual([KEY_CHECK, KEY_CHECK, KEY_CHECK]);
    // The browser's own lines for the two 401 answers are the only console errors.
    expect(watched.consoleErrors).toHaveLength(2);
    for (const line of watched.consoleErrors)
      expect(line).toMatch(/^Failed to load resource: .* 401 \(Unauthorized\)$/);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 30_000);

  it('cancels a resting limit order from its row: the API reports it cancelled and the row shows it', async () => {
    const order = await placeRestingOrder();
    const { page, watched, authorized } = await openDashboard();
    await enterKey(page, keys.trade);
    const row = `#orders tr[data-key="${order.id}"]`;
    await page.waitForSelector(`${row} button[name="cancel"]:not([disabled])`);
    expect((await texts(page, `${row} td`)).slice(1, 5)).toEqual(['BTC-USD', 'buy', 'limit', '0.01']);
    await page.click(`${row} button[name="cancel"]`);
    await waitForTrue(page, `document.querySelector('${row}').textContent.includes('cancelled')`);
    expect((await callApi<Order>(`${api}/orders/${order.id}`)).body.status).toBe('cancelled');
    expect(await page.$(`${row} button`)).toBeNull();
    expect(await page.getAttribute('#orders', 'data-state')).toBe('ready');
    expect(authorized).toEqual([KEY_CHECK, `DELETE /api/v1/orders/${order.id}`]);
    expect(watched.consoleErrors).toEqual([]);
    expect(pageProblems(watched)).toEqual(CLEAN_PAGE);
    await page.close();
  }, 20_000);
});
