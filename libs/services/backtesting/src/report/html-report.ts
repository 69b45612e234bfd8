import { toIso } from '@rrr/core';
import type { BacktestResult } from '../api/run-backtest';
import type { PerformanceMetrics } from '../metrics/performance-metrics';
import { monthlyReturns, yearlyReturns, type MonthlyReturn } from './monthly-returns';
import { candleChart, escapeXml, lineChart, type TradeMarker } from './svg-charts';

const DAY = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pct = (v: number | null): string => (v === null ? '–' : `${(v * 100).toFixed(2)} %`);
const num = (v: number | null, digits = 2): string => (v === null ? '–' : v.toFixed(digits));
const money = (v: number | null): string =>
  v === null ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const days = (ms: number): string => `${Math.round(ms / DAY)} d`;
const date = (ts: number): string => toIso(ts).slice(0, 10);

type Row = [label: string, format: (m: PerformanceMetrics) => string];

const METRIC_ROWS: Row[] = [
  ['Total return', (m) => pct(m.totalReturn)],
  ['CAGR', (m) => pct(m.cagr)],
  ['Annualised volatility', (m) => pct(m.annualVolatility)],
  ['Sharpe', (m) => num(m.sharpe)],
  ['Sortino', (m) => num(m.sortino)],
  ['Calmar', (m) => num(m.calmar)],
  ['Omega', (m) => num(m.omega)],
  ['Max drawdown', (m) => pct(m.maxDrawdown)],
  ['Max drawdown duration', (m) => days(m.maxDrawdownDurationMs)],
  ['Longest drawdown', (m) => days(m.longestDrawdownMs)],
  ['Time under water', (m) => pct(m.timeUnderWater)],
  ['Closed trades', (m) => String(m.closedTrades)],
  ['Open trades at the end', (m) => String(m.openTrades)],
  ['Win rate (closed trades)', (m) => pct(m.winRate)],
  ['Profit factor', (m) => num(m.profitFactor)],
  ['Expectancy per trade', (m) => money(m.expectancy)],
  ['SQN', (m) => num(m.sqn)],
  ['Average win', (m) => money(m.averageWin)],
  ['Average loss', (m) => money(m.averageLoss)],
  ['Best trade', (m) => money(m.bestTrade)],
  ['Worst trade', (m) => money(m.worstTrade)],
  ['Max consecutive wins / losses', (m) => `${m.maxConsecutiveWins} / ${m.maxConsecutiveLosses}`],
  ['Exposure (time in market)', (m) => pct(m.exposure)],
  ['Turnover (per year)', (m) => `${num(m.turnover)} (${num(m.annualTurnover)})`],
  ['Fees paid', (m) => money(m.feesPaid)],
  ['Tail ratio', (m) => num(m.tailRatio)],
  ['VaR / CVaR 95 % (one bar)', (m) => `${pct(m.var95)} / ${pct(m.cvar95)}`],
  ['VaR / CVaR 99 % (one bar)', (m) => `${pct(m.var99)} / ${pct(m.cvar99)}`],
];

function heatColor(r: number): string {
  const alpha = Math.min(1, Math.abs(r) / 0.1) * 0.85 + 0.05;
  return r >= 0 ? `rgba(38,166,154,${alpha.toFixed(2)})` : `rgba(239,83,80,${alpha.toFixed(2)})`;
}

function heatmap(months: readonly MonthlyReturn[]): string {
  const years = yearlyReturns(months);
  const byKey = new Map(months.map((m) => [`${m.year}-${m.month}`, m.return]));
  const rows = years.map(({ year, return: total }) => {
    const cells = MONTHS.map((_, i) => {
      const r = byKey.get(`${year}-${i + 1}`);
      return r === undefined
        ? '<td></td>'
        : `<td style="background:${heatColor(r)}" title="${year}-${String(i + 1).padStart(2, '0')}: ${pct(r)}">${(r * 100).toFixed(1)}</td>`;
    });
    return `<tr><th>${year}</th>${cells.join('')}<td class="year" style="background:${heatColor(total)}">${(total * 100).toFixed(1)}</td></tr>`;
  });
  return `<table class="heatmap"><thead><tr><th></th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * The run as one self-contained HTML page that opens offline: settings, the metrics of the strategy next to
 * buy-and-hold, the equity curve against the benchmark, the drawdown, a monthly-returns heatmap (% per month, with
 * the compounded year), each symbol's candles with the trades' entries and exits, and the trades. Charts are inline
 * SVG and the styles inline: no script, font, image or stylesheet is fetched.
 */
export function renderHtmlReport(result: BacktestResult): string {
  const { settings, curve } = result;
  const title = `${result.strategyId} on ${settings.symbols.join(', ')} (${settings.interval})`;
  const from = curve.ts[0] ?? settings.from;
  const to = curve.ts[curve.ts.length - 1] ?? settings.to;
  let peak = Number.NEGATIVE_INFINITY;
  const drawdown = curve.equity.map((e) => {
    peak = Math.max(peak, e);
    return peak > 0 ? -(peak - e) / peak : 0;
  });
  const slippage = Object.entries(settings.slippage)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  const facts = [
    ['Run', `${result.id}${result.name === null ? '' : ` — ${result.name}`}`],
    [
      'Period',
      `${date(from)} … ${date(to)} (${result.activity.barsTraded} bars traded, ${result.activity.barsProcessed - result.activity.barsTraded} of warm-up)`,
    ],
    [
      'Parameters',
      Object.entries(settings.parameters)
        .map(([k, v]) => `${k} = ${String(v)}`)
        .join(', ') || 'none',
    ],
    ['Capital', money(settings.initialCapital)],
    ['Costs', `commission ${pct(settings.commissionRate)} of notional; slippage ${slippage}`],
    [
      'Execution',
      `fills at ${settings.fillTiming === 'close' ? 'the signal bar close' : 'the next bar open'}; ${pct(settings.positionFraction)} of equity per position; ${settings.allowShort ? 'long and short' : 'long only'}; ${settings.riskLimits === null ? 'no pre-trade risk' : 'platform risk limits'}${settings.stops === null ? '' : '; bracket stops'}`,
    ],
    [
      'Activity',
      `${result.activity.signals} signals, ${result.activity.ordersSubmitted} orders, ${result.fills.length} fills, ${result.activity.refused} refused by risk, ${result.activity.venueRejected} rejected by the venue`,
    ],
  ];
  const markersOf = (symbol: string): TradeMarker[] =>
    result.trades
      .filter((t) => t.symbol === symbol)
      .flatMap((t) => {
        const entry: TradeMarker = {
          ts: t.entryTs,
          price: t.entryPrice,
          kind: 'entry',
          direction: t.direction,
          label: `${t.direction} entry ${date(t.entryTs)} at ${t.entryPrice.toFixed(4)}`,
        };
        if (t.exitTs === null || t.exitPrice === null) return [entry];
        return [
          entry,
          {
            ts: t.exitTs,
            price: t.exitPrice,
            kind: 'exit' as const,
            direction: t.direction,
            label: `exit (${t.exitReason}) ${date(t.exitTs)} at ${t.exitPrice.toFixed(4)}: P&L ${money(t.pnl)}`,
          },
        ];
      });
  const tradeRows = result.trades
    .slice(0, 500)
    .map(
      (t) =>
        `<tr><td>${escapeXml(t.symbol)}</td><td>${t.direction}</td><td>${date(t.entryTs)}</td><td>${t.entryPrice.toFixed(4)}</td><td>${t.exitTs === null ? 'open' : date(t.exitTs)}</td><td>${t.exitPrice === null ? '–' : t.exitPrice.toFixed(4)}</td><td>${num(t.quantity, 4)}</td><td class="${(t.pnl ?? t.unrealizedPnl ?? 0) >= 0 ? 'pos' : 'neg'}">${money(t.pnl ?? t.unrealizedPnl ?? null)}</td><td>${pct(t.returnFraction)}</td><td>${money(t.fees)}</td><td>${t.exitReason}</td></tr>`,
    )
    .join('');
  const refusals =
    result.refusals.length === 0
      ? ''
      : `<h2>Refused orders</h2><ul>${result.refusals.map((r) => `<li>${date(r.ts)} ${escapeXml(r.symbol)} ${escapeXml(r.code)}: ${escapeXml(r.reason)}</li>`).join('')}</ul>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; margin: 24px auto; max-width: 1000px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #dde1e8; }
table { border-collapse: collapse; } td, th { padding: 3px 8px; text-align: right; } th:first-child, td:first-child { text-align: left; }
table.facts td:first-child { color: #5b6475; } table.facts td { text-align: left; }
table.metrics tbody tr:nth-child(odd), table.trades tbody tr:nth-child(odd) { background: #f5f7fa; }
table.heatmap td { font-size: 12px; min-width: 46px; border: 1px solid #fff; } table.heatmap td.year { font-weight: 600; }
.pos { color: #1b7f73; } .neg { color: #c0392b; }
svg.chart { display: block; margin: 8px 0; } svg text { font-size: 11px; fill: #5b6475; } svg .grid { stroke: #e6e9ef; stroke-width: 1; }
svg .up line, svg .up rect { stroke: #26a69a; fill: #26a69a; } svg .down line, svg .down rect { stroke: #ef5350; fill: #ef5350; }
svg .marker.entry { fill: #1f5fbf; } svg .marker.exit { fill: #f39c12; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<table class="facts"><tbody>${facts.map(([k, v]) => `<tr><td>${k}</td><td>${escapeXml(v)}</td></tr>`).join('')}</tbody></table>
<h2>Metrics</h2>
<table class="metrics"><thead><tr><th></th><th>Strategy</th><th>Buy and hold</th></tr></thead><tbody>
${METRIC_ROWS.map(([label, f]) => `<tr><td>${label}</td><td>${f(result.metrics)}</td><td>${f(result.benchmark)}</td></tr>`).join('\n')}
</tbody></table>
<h2>Equity</h2>
${lineChart({
  ts: curve.ts,
  series: [
    { name: 'Strategy', values: curve.equity, color: '#1f5fbf' },
    { name: 'Buy and hold', values: curve.benchmark, color: '#8a93a5', dashed: true },
  ],
  format: (v) => money(v).replace(/\.00$/, ''),
  label: 'Equity curve of the strategy and of buy and hold',
})}
<h2>Drawdown</h2>
${lineChart({
  ts: curve.ts,
  series: [{ name: 'Drawdown from the peak', values: drawdown, color: '#c0392b', area: true }],
  height: 180,
  format: (v) => `${Math.round(v * 100)} %`,
  label: 'Drawdown of the strategy',
})}
<h2>Monthly returns (%)</h2>
${heatmap(monthlyReturns(curve.ts, curve.equity))}
<h2>Trades on the price</h2>
${settings.symbols
  .map(
    (symbol) =>
      `<h3>${escapeXml(symbol)}</h3>${candleChart({ bars: result.bars[symbol] ?? [], markers: markersOf(symbol), label: `${symbol} candles with trade entries and exits` })}`,
  )
  .join('\n')}
<h2>Trades${result.trades.length > 500 ? ' (first 500)' : ''}</h2>
<table class="trades"><thead><tr><th>Symbol</th><th>Side</th><th>Entry</th><th>Price</th><th>Exit</th><th>Price</th><th>Qty</th><th>P&amp;L</th><th>Return</th><th>Fees</th><th>Exit reason</th></tr></thead><tbody>${tradeRows}</tbody></table>
${refusals}
<p style="color:#8a93a5;margin-top:32px">Generated ${escapeXml(toIso(result.finishedAt))} by @rrr/backtesting. Metrics: sample standard deviations, annualised with ${settings.periodsPerYear} periods a year, risk-free rate ${pct(settings.riskFreeRate)}.</p>
</body>
</html>
`;
}
