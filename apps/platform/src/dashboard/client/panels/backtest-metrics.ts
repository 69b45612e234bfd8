import type { PerformanceMetrics } from '@rrr/backtesting';
import type { MetricValue } from '../api/wire-types';
import { formatMoney, formatNumber, formatPercent } from '../ui/format';

type Kind = 'percent' | 'ratio' | 'money' | 'count';

/** The headline metrics (names as @rrr/backtesting's PerformanceMetrics) and how each reads. */
export const HEADLINE_METRICS: readonly { key: keyof PerformanceMetrics; label: string; kind: Kind }[] = [
  { key: 'totalReturn', label: 'Total return', kind: 'percent' },
  { key: 'cagr', label: 'CAGR', kind: 'percent' },
  { key: 'annualVolatility', label: 'Volatility', kind: 'percent' },
  { key: 'sharpe', label: 'Sharpe', kind: 'ratio' },
  { key: 'sortino', label: 'Sortino', kind: 'ratio' },
  { key: 'calmar', label: 'Calmar', kind: 'ratio' },
  { key: 'maxDrawdown', label: 'Max drawdown', kind: 'percent' },
  { key: 'winRate', label: 'Win rate', kind: 'percent' },
  { key: 'profitFactor', label: 'Profit factor', kind: 'ratio' },
  { key: 'expectancy', label: 'Expectancy', kind: 'money' },
  { key: 'sqn', label: 'SQN', kind: 'ratio' },
  { key: 'closedTrades', label: 'Closed trades', kind: 'count' },
  { key: 'exposure', label: 'Exposure', kind: 'percent' },
  { key: 'turnover', label: 'Turnover', kind: 'ratio' },
  { key: 'feesPaid', label: 'Fees', kind: 'money' },
  { key: 'var95', label: 'VaR 95 %', kind: 'percent' },
  { key: 'finalEquity', label: 'Final equity', kind: 'money' },
];

const KINDS = new Map<string, Kind>(HEADLINE_METRICS.map((m) => [m.key, m.kind]));

export function formatMetric(key: string, value: MetricValue | undefined): string {
  if (typeof value !== 'number') return value === null || value === undefined ? '—' : String(value);
  switch (KINDS.get(key)) {
    case 'percent':
      return formatPercent(value);
    case 'money':
      return formatMoney(value);
    case 'count':
      return formatNumber(value, 0);
    default:
      return formatNumber(value, 3);
  }
}

/**
 * The strategy's metric set of a run, wherever the answer keeps it: flat, or as the stored document
 * `{ strategy: {...}, benchmark: {...} }`.
 */
export function strategyMetrics(metrics: unknown): Record<string, MetricValue> {
  if (metrics === null || typeof metrics !== 'object') return {};
  const nested = (metrics as { strategy?: unknown }).strategy;
  return (nested !== null && typeof nested === 'object' ? nested : metrics) as Record<string, MetricValue>;
}

export function benchmarkMetrics(...candidates: unknown[]): Record<string, MetricValue> | undefined {
  for (const candidate of candidates) {
    if (candidate === null || typeof candidate !== 'object') continue;
    const nested = (candidate as { benchmark?: unknown }).benchmark;
    if (nested !== null && typeof nested === 'object') return nested as Record<string, MetricValue>;
    if (!('strategy' in candidate)) return candidate as Record<string, MetricValue>;
  }
  return undefined;
}
