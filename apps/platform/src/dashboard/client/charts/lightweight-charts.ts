import type * as LightweightChartsModule from 'lightweight-charts';
import type { DeepPartial, IChartApi, TimeChartOptions, UTCTimestamp } from 'lightweight-charts';

declare global {
  interface Window {
    /** Defined by lightweight-charts' standalone build, which the page loads before this bundle. */
    LightweightCharts?: typeof LightweightChartsModule;
  }
}

export type Charts = typeof LightweightChartsModule;

/** The library the page loaded, or a clear error when its script did not arrive. */
export function chartLibrary(): Charts {
  const library = window.LightweightCharts;
  if (library === undefined) {
    throw new Error('lightweight-charts did not load (/dashboard/vendor/lightweight-charts.standalone.production.js)');
  }
  return library;
}

/** Epoch ms → the chart's UTC seconds. */
export function chartTime(ts: number): UTCTimestamp {
  return Math.floor(ts / 1000) as UTCTimestamp;
}

const THEME: DeepPartial<TimeChartOptions> = {
  autoSize: true,
  layout: {
    background: { color: '#151b23' },
    textColor: '#8591a0',
    fontSize: 11,
    panes: { separatorColor: '#262f3a' },
  },
  grid: { vertLines: { color: '#1c242e' }, horzLines: { color: '#1c242e' } },
  rightPriceScale: { borderColor: '#262f3a' },
  timeScale: { borderColor: '#262f3a', timeVisible: true, secondsVisible: false },
  crosshair: { mode: 0 },
};

/** A chart in the dashboard's dark theme that follows its container's size. */
export function createThemedChart(container: HTMLElement, options: DeepPartial<TimeChartOptions> = {}): IChartApi {
  const chart = chartLibrary().createChart(container, THEME);
  // applyOptions merges nested sections, so a caller can change one field of the theme's time scale.
  chart.applyOptions(options);
  return chart;
}
