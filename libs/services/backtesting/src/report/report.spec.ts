import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { runBacktest, type BacktestResult } from '../api/run-backtest';
import { memoryBarLoader } from '../data/bar-loader';
import { randomWalkBars } from '../testing/scripted-strategy';
import { backtestResultJson, backtestSummaryJson, equityCsv, exportRun, tradesCsv } from './export-run';
import { renderHtmlReport } from './html-report';
import { monthlyReturns, yearlyReturns } from './monthly-returns';
import { mergeCandles, niceTicks, thinIndices } from './svg-charts';

describe('monthlyReturns', () => {
  it('chains month-end to month-end, the first month from the first point', () => {
    const ts = [
      Date.UTC(2020, 0, 1),
      Date.UTC(2020, 0, 31),
      Date.UTC(2020, 1, 3),
      Date.UTC(2020, 1, 28),
      Date.UTC(2021, 0, 4),
    ];
    const months = monthlyReturns(ts, [100, 110, 99, 121, 108.9]);
    // Jan 100 → 110; Feb 110 → 121; Jan 2021 121 → 108.9
    expect(months).toEqual([
      { year: 2020, month: 1, return: expect.closeTo(0.1, 12) },
      { year: 2020, month: 2, return: expect.closeTo(0.1, 12) },
      { year: 2021, month: 1, return: expect.closeTo(-0.1, 12) },
    ]);
    expect(yearlyReturns(months)).toEqual([
      { year: 2020, return: expect.closeTo(0.21, 12) },
      { year: 2021, return: expect.closeTo(-0.1, 12) },
    ]);
  });
});

describe('chart helpers', () => {
  it('picks round ticks, merges candles and thins long lines without losing extremes', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(95_000, 131_000)).toEqual([100_000, 110_000, 120_000, 130_000]);
    const bars = randomWalkBars('AAA', 10, 1);
    const merged = mergeCandles(bars, 4);
    expect(merged).toHaveLength(4);
    expect(merged[0]).toMatchObject({
      open: bars[0].open,
      close: bars[2].close,
      high: Math.max(...bars.slice(0, 3).map((b) => b.high)),
    });
    const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 50) + (i === 7_777 ? 5 : 0));
    const keep = thinIndices(values.length, [values]);
    expect(keep.length).toBeLessThanOrEqual(1_200);
    expect(keep).toContain(7_777);
    expect(keep[0]).toBe(0);
    expect(keep[keep.length - 1]).toBe(9_999);
  });
});

describe('exports and the HTML report', () => {
  let result: BacktestResult;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-bt-report-'));
    const bars = randomWalkBars('AAA', 300, 17);
    result = await runBacktest(
      { strategy: 'sma-cross', symbols: 'AAA', params: { fast: 5, slow: 20 }, name: 'report <test> & co' },
      { loader: memoryBarLoader(bars), newId: () => 'run-42', now: () => Date.UTC(2025, 0, 1) },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes JSON, both CSVs and the HTML where asked', () => {
    const written = exportRun(result, { dir, html: join(dir, 'sub', 'report.html') });
    expect(written).toEqual([
      join(dir, 'run-42.json'),
      join(dir, 'run-42-trades.csv'),
      join(dir, 'run-42-equity.csv'),
      join(dir, 'sub', 'report.html'),
    ]);
    const json = JSON.parse(readFileSync(written[0], 'utf8'));
    expect(json).toMatchObject({ id: 'run-42', strategy: 'sma-cross(5,20)', parameters: { fast: 5, slow: 20 } });
    expect(json.metrics).toEqual(result.metrics);
    expect(json.equity).toHaveLength(result.curve.ts.length);
    expect(json.trades[0].entryTime).toBe(new Date(result.trades[0].entryTs).toISOString());
    expect(backtestSummaryJson(result)).not.toHaveProperty('trades');
    expect(Object.keys(backtestResultJson(result))).toEqual(expect.arrayContaining(['settings', 'fills', 'equity']));
  });

  it('CSV: a header and one row per trade / equity point, percent returns, ISO times', () => {
    const trades = tradesCsv(result).trim().split('\n');
    expect(trades[0]).toBe(
      'symbol,direction,quantity,entry_time,entry_price,exit_time,exit_price,pnl,return_pct,fees,exit_reason,mark_price,unrealized_pnl',
    );
    expect(trades).toHaveLength(result.trades.length + 1);
    const first = trades[1].split(',');
    const trip = result.trades[0];
    expect(first.slice(0, 5)).toEqual([
      'AAA',
      trip.direction,
      String(trip.quantity),
      new Date(trip.entryTs).toISOString(),
      String(trip.entryPrice),
    ]);
    expect(Number(first[8])).toBeCloseTo((trip.returnFraction as number) * 100, 9);
    const equity = equityCsv(result).trim().split('\n');
    expect(equity[0]).toBe('time,equity,cash,gross_exposure,net_exposure,drawdown,benchmark');
    expect(equity).toHaveLength(result.curve.ts.length + 1);
    expect(equity[1]).toBe(`${new Date(result.curve.ts[0]).toISOString()},100000,100000,0,0,0,100000`);
    expect(
      tradesCsv({ trades: [{ ...trip, symbol: 'A,"B"' }] })
        .split('\n')[1]
        .startsWith('"A,""B"""'),
    ).toBe(true);
  });

  it('is one self-contained page: no script, stylesheet, image or font fetched, nothing pointing off the page', () => {
    const html = renderHtmlReport(result);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).toContain('report &lt;test&gt; &amp; co');
    for (const section of ['Metrics', 'Equity', 'Drawdown', 'Monthly returns (%)', 'Trades on the price', 'Trades']) {
      expect(html).toContain(`<h2>${section}</h2>`);
    }
  });

  describe('opened in Chromium with the network cut off', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    });
    afterAll(async () => browser?.close());

    it('renders every chart and requests nothing but the file itself', async () => {
      const file = join(dir, 'offline.html');
      exportRun(result, { html: file });
      const context = await browser.newContext({ offline: true });
      const page = await context.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(`file://${file}`);
      const charts = await page.$$eval('svg[role="img"]', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          return {
            label: svg.getAttribute('aria-label'),
            width: box.width,
            height: box.height,
            shapes: svg.querySelectorAll('polyline, polygon, rect').length,
          };
        }),
      );
      expect(charts.map((c) => c.label)).toEqual([
        'Equity curve of the strategy and of buy and hold',
        'Drawdown of the strategy',
        'AAA candles with trade entries and exits',
      ]);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(500);
        expect(chart.shapes).toBeGreaterThan(1);
      }
      const markers = await page.$$eval('svg.candles polygon.marker', (m) => m.length);
      const exits = result.trades.filter((t) => t.exitTs !== null).length;
      expect(markers).toBe(result.trades.length + exits);
      const heatCells = await page.$$eval('table.heatmap td[title]', (cells) => cells.length);
      expect(heatCells).toBe(monthlyReturns(result.curve.ts, result.curve.equity).length);
      expect(requested).toEqual([`file://${file}`]);
      await context.close();
    });
  });
});
