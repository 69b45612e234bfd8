import { toIso } from '@rrr/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BacktestResult } from '../api/run-backtest';
import { renderHtmlReport } from './html-report';

/** The figures `rrr backtest --json` prints: what ran and both metric sets. */
export function backtestSummaryJson(result: BacktestResult): Record<string, unknown> {
  return {
    id: result.id,
    name: result.name,
    strategy: result.strategyId,
    parameters: result.settings.parameters,
    symbols: result.settings.symbols,
    interval: result.settings.interval,
    from: toIso(result.curve.ts[0] ?? result.settings.from),
    to: toIso(result.curve.ts[result.curve.ts.length - 1] ?? result.settings.to),
    metrics: result.metrics,
    benchmark: result.benchmark,
    activity: result.activity,
    stored: result.stored,
  };
}

/** The whole run as JSON: settings, both metric sets, round trips, fills and the equity curve (times as ISO). */
export function backtestResultJson(result: BacktestResult): Record<string, unknown> {
  const { curve } = result;
  return {
    ...backtestSummaryJson(result),
    createdAt: toIso(result.createdAt),
    finishedAt: toIso(result.finishedAt),
    settings: result.settings,
    trades: result.trades.map((t) => ({
      ...t,
      entryTime: toIso(t.entryTs),
      exitTime: t.exitTs === null ? null : toIso(t.exitTs),
    })),
    fills: result.fills.map((f) => ({ ...f, time: toIso(f.ts) })),
    refusals: result.refusals.map((r) => ({ ...r, time: toIso(r.ts) })),
    equity: curve.ts.map((ts, i) => ({
      time: toIso(ts),
      equity: curve.equity[i],
      cash: curve.cash[i],
      grossExposure: curve.grossExposure[i],
      netExposure: curve.netExposure[i],
      benchmark: curve.benchmark[i],
    })),
  };
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** One row per round trip; `return_pct` in percent, times ISO, open trips with their mark. */
export function tradesCsv(result: Pick<BacktestResult, 'trades'>): string {
  return csv(
    [
      'symbol',
      'direction',
      'quantity',
      'entry_time',
      'entry_price',
      'exit_time',
      'exit_price',
      'pnl',
      'return_pct',
      'fees',
      'exit_reason',
      'mark_price',
      'unrealized_pnl',
    ],
    result.trades.map((t) => [
      t.symbol,
      t.direction,
      t.quantity,
      toIso(t.entryTs),
      t.entryPrice,
      t.exitTs === null ? null : toIso(t.exitTs),
      t.exitPrice,
      t.pnl,
      t.returnFraction === null ? null : t.returnFraction * 100,
      t.fees,
      t.exitReason,
      t.markPrice,
      t.unrealizedPnl,
    ]),
  );
}

/** One row per equity point, with the drawdown from the running peak and the buy-and-hold benchmark. */
export function equityCsv(result: Pick<BacktestResult, 'curve'>): string {
  const { curve } = result;
  let peak = Number.NEGATIVE_INFINITY;
  return csv(
    ['time', 'equity', 'cash', 'gross_exposure', 'net_exposure', 'drawdown', 'benchmark'],
    curve.ts.map((ts, i) => {
      peak = Math.max(peak, curve.equity[i]);
      return [
        toIso(ts),
        curve.equity[i],
        curve.cash[i],
        curve.grossExposure[i],
        curve.netExposure[i],
        peak > 0 ? (peak - curve.equity[i]) / peak : 0,
        curve.benchmark[i],
      ];
    }),
  );
}

/** Where exportRun writes; `dir` fills in `<id>.json`, `<id>-trades.csv`, `<id>-equity.csv`, `<id>.html`. */
export interface ExportTargets {
  dir?: string;
  json?: string;
  tradesCsv?: string;
  equityCsv?: string;
  html?: string;
}

/** Writes the requested files (creating their directories) and returns their paths. */
export function exportRun(result: BacktestResult, targets: ExportTargets): string[] {
  const files: [string | undefined, () => string][] = [
    [
      targets.json ?? (targets.dir && join(targets.dir, `${result.id}.json`)),
      () => `${JSON.stringify(backtestResultJson(result), null, 2)}\n`,
    ],
    [targets.tradesCsv ?? (targets.dir && join(targets.dir, `${result.id}-trades.csv`)), () => tradesCsv(result)],
    [targets.equityCsv ?? (targets.dir && join(targets.dir, `${result.id}-equity.csv`)), () => equityCsv(result)],
    [targets.html ?? (targets.dir && join(targets.dir, `${result.id}.html`)), () => renderHtmlReport(result)],
  ];
  const written: string[] = [];
  for (const [path, content] of files) {
    if (path === undefined || path === '') continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content());
    written.push(path);
  }
  return written;
}
