import type { IChartApi, ISeriesApi, UTCTimestamp } from 'lightweight-charts';
import { chartLibrary, chartTime, createThemedChart } from './lightweight-charts';

export interface EquityDrawdownPoint {
  ts: number;
  equity: number;
  /** ≤ 0, a fraction of the running peak. */
  drawdown: number;
}

/** Equity on top, drawdown (in percent, ≤ 0) in a pane below: used by the portfolio and the backtest detail. */
export class EquityDrawdownChart {
  private readonly chart: IChartApi;
  private readonly equity: ISeriesApi<'Line'>;
  private readonly drawdown: ISeriesApi<'Area'>;

  constructor(container: HTMLElement) {
    const { LineSeries, AreaSeries } = chartLibrary();
    this.chart = createThemedChart(container);
    this.equity = this.chart.addSeries(LineSeries, { color: '#4c9aff', lineWidth: 2, title: 'equity' });
    this.drawdown = this.chart.addSeries(
      AreaSeries,
      {
        lineColor: '#ef5350',
        topColor: 'rgba(239, 83, 80, 0.05)',
        bottomColor: 'rgba(239, 83, 80, 0.35)',
        lineWidth: 1,
        title: 'drawdown %',
        priceFormat: { type: 'custom', formatter: (v: number) => `${v.toFixed(2)}%`, minMove: 0.01 },
      },
      1,
    );
    this.chart.panes()[1]?.setHeight(90);
  }

  /** Replaces the curve; points sharing a second keep the last (the chart needs strictly increasing times). */
  setPoints(points: readonly EquityDrawdownPoint[]): number {
    const byTime = new Map<UTCTimestamp, EquityDrawdownPoint>();
    for (const point of [...points].sort((a, b) => a.ts - b.ts)) byTime.set(chartTime(point.ts), point);
    const rows = [...byTime];
    this.equity.setData(rows.map(([time, point]) => ({ time, value: point.equity })));
    this.drawdown.setData(rows.map(([time, point]) => ({ time, value: point.drawdown * 100 })));
    this.chart.timeScale().fitContent();
    return rows.length;
  }

  remove(): void {
    this.chart.remove();
  }
}
