import type {
  CandlestickData,
  HistogramData,
  IChartApi,
  ISeriesApi,
  ISeriesMarkersPluginApi,
  SeriesMarker,
  Time,
  UTCTimestamp,
} from 'lightweight-charts';
import { query, type ApiClient } from '../api/api-client';
import type { BarRow, Fill, ItemList, SignalRow, Trade } from '../api/wire-types';
import { candleWithTrade, type Candle } from '../charts/forming-candle';
import { barOpen, intervalMs } from '../charts/interval-ms';
import { chartLibrary, chartTime, createThemedChart } from '../charts/lightweight-charts';
import { signalMarker } from '../charts/signal-markers';
import type { LiveSocket } from '../live/live-socket';
import { RecentSignals } from '../live/recent-signals';
import { h } from '../ui/dom';
import { formatNumber, formatTime } from '../ui/format';
import { PanelFrame } from '../ui/panel';

export interface ChartTarget {
  symbol: string;
  interval: string;
  /** The newest stored bar's open time, when the symbol listing knows it. */
  lastTs?: number | null;
}

const BARS = 500;
const FILLS = 200;
const SIGNALS = 200;

/**
 * Candles of one symbol with the engine's fills and the strategies' and models' signals as markers: history over
 * REST, then closed bars (`bars`), the forming bar from live trades (`trades`), new fills (`fills`) and signals
 * (`signals`, which the page follows for every symbol) over the WebSocket. The section's `data-bars`,
 * `data-fill-markers` and `data-signal-markers` say how many the chart holds.
 */
export class CandlesPanel {
  private readonly frame: PanelFrame;
  private readonly chart: IChartApi;
  private readonly series: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private target: ChartTarget | undefined;
  /** By chart time (seconds): what the chart shows. */
  private candles = new Map<UTCTimestamp, Candle>();
  private lastTime: UTCTimestamp | undefined;
  private fills = new Map<string, Fill>();
  private readonly signals = new RecentSignals(SIGNALS);
  private liveUpdates = 0;
  private fillMarkers = 0;
  private signalMarkers = 0;
  private generation = 0;

  constructor(
    mount: HTMLElement,
    private readonly api: ApiClient,
    private readonly live: LiveSocket,
  ) {
    this.frame = new PanelFrame(mount, 'Price');
    const container = h('div', { class: 'chart', 'aria-label': 'Candlestick chart' });
    this.frame.body.append(container);
    const { CandlestickSeries, HistogramSeries, createSeriesMarkers } = chartLibrary();
    // Room right of the newest bar for the forming candle's fill markers and labels.
    this.chart = createThemedChart(container, { timeScale: { rightOffset: 4 } });
    this.series = this.chart.addSeries(CandlestickSeries, {
      upColor: '#26a69a',
      downColor: '#ef5350',
      borderVisible: false,
      wickUpColor: '#26a69a',
      wickDownColor: '#ef5350',
    });
    this.volume = this.chart.addSeries(
      HistogramSeries,
      { priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false, title: 'volume' },
      1,
    );
    this.chart.panes()[1]?.setHeight(70);
    this.markers = createSeriesMarkers(this.series, []);
    live.on('bars', (bar) => {
      if (bar.symbol === this.target?.symbol && bar.interval === this.target.interval) this.upsert(bar);
    });
    live.on('trades', (trade) => this.onTrade(trade));
    live.on('fills', (fill) => {
      if (fill.symbol !== this.target?.symbol) return;
      this.fills.set(fill.id, fill);
      this.drawMarkers();
    });
    live.on('signals', (signal) => {
      if (signal.symbol === this.target?.symbol && this.signals.add([signal])) this.drawMarkers();
    });
    live.onResync(() => void this.load());
  }

  /** Shows another symbol (or interval): history first, then its live stream. */
  async show(target: ChartTarget): Promise<void> {
    this.live.follow(['bars', 'trades'], this.target?.symbol, target.symbol);
    this.target = target;
    await this.load();
  }

  /** No symbol to show: says why. */
  unavailable(reason: string): void {
    this.frame.setNote('no symbol');
    this.frame.fail(reason);
  }

  private async load(): Promise<void> {
    const target = this.target;
    if (!target) return;
    const generation = ++this.generation;
    this.frame.setNote(`${target.symbol} · ${target.interval}`);
    this.candles = new Map();
    this.lastTime = undefined;
    this.fills = new Map();
    this.signals.clear();
    this.draw();
    this.markers.setMarkers([]);
    this.fillMarkers = 0;
    this.signalMarkers = 0;
    const span = intervalMs(target.interval) * (BARS - 1);
    const from = (target.lastTs ?? Date.now()) - span;
    const barsPath = `/api/v1/bars${query({ symbol: target.symbol, interval: target.interval, from, limit: BARS })}`;
    const fillsPath = `/api/v1/fills${query({ symbol: target.symbol, limit: FILLS })}`;
    const signalsPath = `/api/v1/signals${query({ symbol: target.symbol, limit: SIGNALS })}`;
    const [bars, fills, signals] = await Promise.allSettled([
      this.api.get<ItemList<BarRow>>(barsPath),
      this.api.get<ItemList<Fill>>(fillsPath),
      this.api.get<ItemList<SignalRow>>(signalsPath),
    ]);
    if (generation !== this.generation) return;
    const failures: unknown[] = [];
    if (bars.status === 'fulfilled') {
      // Live bars or trades may have arrived while the history loaded: keep the newer of each.
      const live = this.candles;
      this.candles = new Map(bars.value.items.map((bar) => [chartTime(bar.ts), bar]));
      for (const [time, candle] of live) this.candles.set(time, candle);
      this.draw();
      this.chart.timeScale().fitContent();
    } else failures.push(bars.reason);
    if (fills.status === 'fulfilled') for (const fill of fills.value.items) this.fills.set(fill.id, fill);
    else failures.push(fills.reason);
    if (signals.status === 'fulfilled') this.signals.add(signals.value.items);
    else failures.push(signals.reason);
    this.drawMarkers();
    this.publishCounts();
    if (failures.length > 0)
      this.frame.fail(failures.map((e) => (e instanceof Error ? e.message : String(e))).join('\n'));
    else this.frame.ok();
  }

  private candlestick(time: UTCTimestamp, c: Candle): CandlestickData<UTCTimestamp> {
    return { time, open: c.open, high: c.high, low: c.low, close: c.close };
  }

  private volumeBar(time: UTCTimestamp, c: Candle): HistogramData<UTCTimestamp> {
    return { time, value: c.volume, color: c.close >= c.open ? 'rgba(38, 166, 154, 0.5)' : 'rgba(239, 83, 80, 0.5)' };
  }

  /** Redraws every candle (history loaded, or a bar the chart lacked arrived). */
  private draw(): void {
    const rows = [...this.candles].sort(([a], [b]) => a - b);
    this.series.setData(rows.map(([time, c]) => this.candlestick(time, c)));
    this.volume.setData(rows.map(([time, c]) => this.volumeBar(time, c)));
    this.lastTime = rows.at(-1)?.[0];
  }

  private upsert(candle: Candle): void {
    const time = chartTime(candle.ts);
    const known = this.candles.has(time);
    this.candles.set(time, candle);
    if (this.lastTime === undefined || time >= this.lastTime) {
      this.series.update(this.candlestick(time, candle));
      this.volume.update(this.volumeBar(time, candle));
      this.lastTime = time;
    } else if (known) {
      // A closed bar arrives after the first trade of the next one: it replaces the candle the trades built.
      this.series.update(this.candlestick(time, candle), true);
      this.volume.update(this.volumeBar(time, candle), true);
    } else {
      this.draw();
    }
    this.liveUpdates++;
    this.publishCounts();
  }

  /** A live trade moves the forming bar (the closed bar from `bars` replaces it when its window ends). */
  private onTrade(trade: Trade): void {
    const target = this.target;
    if (!target || trade.symbol !== target.symbol) return;
    const current = this.candles.get(chartTime(barOpen(trade.ts, target.interval)));
    this.upsert(candleWithTrade(current, trade, target.interval));
  }

  private drawMarkers(): void {
    const target = this.target;
    if (!target) return;
    const fillMarkers: SeriesMarker<Time>[] = [...this.fills.values()]
      .sort((a, b) => a.ts - b.ts)
      .map((fill) => ({
        time: chartTime(barOpen(fill.ts, target.interval)),
        position: fill.side === 'buy' ? 'belowBar' : 'aboveBar',
        shape: fill.side === 'buy' ? 'arrowUp' : 'arrowDown',
        color: fill.side === 'buy' ? '#26a69a' : '#ef5350',
        text: `${fill.side === 'buy' ? 'B' : 'S'} ${formatNumber(fill.quantity, 6)} @ ${formatNumber(fill.price, 2)}`,
        id: fill.id,
      }));
    // The chart would pin a marker older than its first bar onto that bar: only the signals of the bars shown count.
    const first = this.series.data()[0]?.time as UTCTimestamp | undefined;
    const signalMarkers = this.signals
      .list()
      .map((signal) => signalMarker(signal, target.interval))
      .filter((marker) => first !== undefined && marker.time >= first);
    this.markers.setMarkers(
      [...fillMarkers, ...signalMarkers].sort((a, b) => (a.time as UTCTimestamp) - (b.time as UTCTimestamp)),
    );
    this.signalMarkers = signalMarkers.length;
    this.fillMarkers = fillMarkers.length;
    this.publishCounts();
    const lastFill = [...this.fills.values()].reduce<number | undefined>(
      (max, f) => Math.max(max ?? f.ts, f.ts),
      undefined,
    );
    if (lastFill !== undefined)
      this.frame.setNote(`${target.symbol} · ${target.interval} · last fill ${formatTime(lastFill)}`);
  }

  private publishCounts(): void {
    const data = this.frame.root.dataset;
    data['symbol'] = this.target?.symbol ?? '';
    data['interval'] = this.target?.interval ?? '';
    data['bars'] = String(this.series.data().length);
    data['fillMarkers'] = String(this.fillMarkers);
    data['signalMarkers'] = String(this.signalMarkers);
    data['liveUpdates'] = String(this.liveUpdates);
  }
}
