// The dashboard's entry: wires the panels to the REST API and the `/ws` gateway of the server that served the page.
import { ApiClient } from './api/api-client';
import { SessionApiKey } from './api/session-api-key';
import type { ItemList, RegistryHealth, SymbolListing } from './api/wire-types';
import { LiveSocket, type ConnectionState } from './live/live-socket';
import { AlertsPanel } from './panels/alerts-panel';
import { ApiKeyEntry } from './panels/api-key-entry';
import { BacktestsPanel } from './panels/backtests-panel';
import { CandlesPanel, type ChartTarget } from './panels/candles-panel';
import { EquityPanel } from './panels/equity-panel';
import { HealthPanel } from './panels/health-panel';
import { OptimizationsPanel } from './panels/optimizations-panel';
import { OrdersPanel } from './panels/orders-panel';
import { PositionsPanel } from './panels/positions-panel';
import { PredictionsPanel } from './panels/predictions-panel';
import { RiskControlsPanel } from './panels/risk-controls-panel';
import { SignalsPanel } from './panels/signals-panel';
import { SummaryPanel } from './panels/summary-panel';
import { h } from './ui/dom';

function mount(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

/** Live pairs chart 1-minute bars; daily series their daily bars. */
function chartTarget(listing: SymbolListing): ChartTarget {
  const intervals = [...listing.intervals].sort((a, b) => b.bars - a.bars);
  const chosen = intervals.find((i) => i.interval === '1m') ?? intervals[0];
  return { symbol: listing.symbol, interval: chosen?.interval ?? '1m', lastTs: chosen?.lastTs ?? null };
}

/**
 * The symbols to offer: the stored series, or (when that route fails) the live feed's pairs from /health; with
 * none, what went wrong.
 */
async function loadTargets(
  api: ApiClient,
  health: Promise<RegistryHealth | undefined>,
): Promise<{ targets: ChartTarget[]; problem?: string }> {
  let problem = 'no market data stored yet (GET /api/v1/symbols listed no series)';
  try {
    const { items } = await api.get<ItemList<SymbolListing>>('/api/v1/symbols');
    if (items.length > 0) return { targets: items.map(chartTarget) };
  } catch (error) {
    problem = (error as Error).message;
  }
  const live = (await health)?.services['data-pipeline']?.details?.['live'] as { symbols?: string[] } | undefined;
  return { targets: (live?.symbols ?? []).map((symbol) => ({ symbol, interval: '1m' })), problem };
}

function showConnection(element: HTMLElement, state: ConnectionState, detail: string): void {
  element.dataset['state'] = state;
  element.textContent = detail;
}

async function main(): Promise<void> {
  const apiKey = new SessionApiKey();
  const api = new ApiClient(() => apiKey.value);
  new ApiKeyEntry(mount('api-key') as HTMLFormElement, apiKey, api);
  const connection = mount('connection');
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const live = new LiveSocket(`${scheme}://${window.location.host}/ws`, (state, detail) =>
    showConnection(connection, state, detail),
  );
  const summary = new SummaryPanel(mount('summary'), api, live);
  const candles = new CandlesPanel(mount('candles'), api, live);
  const equity = new EquityPanel(mount('equity'), api, live);
  const signals = new SignalsPanel(mount('signals'), api, live);
  const predictions = new PredictionsPanel(mount('predictions'), api, live, apiKey);
  const positions = new PositionsPanel(mount('positions'), api, live);
  const orders = new OrdersPanel(mount('orders'), api, apiKey, live);
  const riskControls = new RiskControlsPanel(mount('risk-controls'), api, apiKey, live);
  const alerts = new AlertsPanel(mount('alerts'), api, live);
  const health = new HealthPanel(mount('health'), api, live);
  const backtests = new BacktestsPanel(mount('backtests'), api, apiKey);
  const optimizations = new OptimizationsPanel(mount('optimizations'), api, apiKey);
  live.subscribe(['signals', 'orders', 'fills', 'portfolio', 'alerts', 'health']);
  live.start();

  const report = health.load();
  for (const panel of [summary, equity, signals, positions, orders, riskControls, alerts, backtests, optimizations]) {
    void panel.load();
  }

  const picker = mount('symbol') as HTMLSelectElement;
  const { targets, problem } = await loadTargets(api, report);
  picker.replaceChildren(...targets.map((t) => h('option', { value: t.symbol }, `${t.symbol} (${t.interval})`)));
  const wanted = new URLSearchParams(window.location.search).get('symbol');
  const initial = targets.find((t) => t.symbol === wanted) ?? targets.find((t) => /[-/]/.test(t.symbol)) ?? targets[0];
  picker.addEventListener('change', () => {
    const target = targets.find((t) => t.symbol === picker.value);
    if (!target) return;
    // A reload (or a shared link) opens the same symbol.
    window.history.replaceState(null, '', `?symbol=${encodeURIComponent(target.symbol)}${window.location.hash}`);
    void candles.show(target);
    void predictions.show(target);
  });
  if (initial) {
    picker.value = initial.symbol;
    await Promise.all([candles.show(initial), predictions.show(initial)]);
  } else {
    picker.disabled = true;
    candles.unavailable(problem ?? 'no symbols to chart');
    predictions.unavailable(problem ?? 'no symbols to follow');
  }
}

main().catch((error: unknown) => {
  document.body.prepend(
    h('div', { class: 'panel-error', role: 'alert' }, `dashboard failed to start: ${String(error)}`),
  );
  console.error(error);
});
