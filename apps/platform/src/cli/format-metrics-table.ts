import type { PerformanceMetrics } from '@rrr/backtesting';

type Row = [label: string, pick: (m: PerformanceMetrics) => number | null, format: 'pct' | 'num' | 'int' | 'money'];

const ROWS: Row[] = [
  ['total return', (m) => m.totalReturn, 'pct'],
  ['CAGR', (m) => m.cagr, 'pct'],
  ['annual volatility', (m) => m.annualVolatility, 'pct'],
  ['Sharpe', (m) => m.sharpe, 'num'],
  ['Sortino', (m) => m.sortino, 'num'],
  ['Calmar', (m) => m.calmar, 'num'],
  ['max drawdown', (m) => m.maxDrawdown, 'pct'],
  ['time under water', (m) => m.timeUnderWater, 'pct'],
  ['closed trades', (m) => m.closedTrades, 'int'],
  ['win rate (closed trades)', (m) => m.winRate, 'pct'],
  ['profit factor', (m) => m.profitFactor, 'num'],
  ['SQN', (m) => m.sqn, 'num'],
  ['exposure', (m) => m.exposure, 'pct'],
  ['fees paid', (m) => m.feesPaid, 'money'],
  ['VaR 95 (per period)', (m) => m.var95, 'pct'],
];

function cell(value: number | null, format: Row[2]): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (format === 'pct') return `${(value * 100).toFixed(2)} %`;
  if (format === 'int') return String(value);
  if (format === 'money') return value.toFixed(2);
  return value.toFixed(3);
}

/** The strategy's headline metrics next to buy-and-hold's, as a fixed-width table for a terminal. */
export function formatMetricsTable(strategy: PerformanceMetrics, benchmark: PerformanceMetrics): string {
  const lines = [`${'metric'.padEnd(26)}${'strategy'.padStart(14)}${'buy & hold'.padStart(14)}`];
  for (const [label, pick, format] of ROWS) {
    lines.push(
      `${label.padEnd(26)}${cell(pick(strategy), format).padStart(14)}${cell(pick(benchmark), format).padStart(14)}`,
    );
  }
  return lines.join('\n');
}
