import type { BacktestRunRecord } from '../storage/backtest-run-store';
import type { ResolvedBacktestRequest } from './backtest-request';
import { settingsOf } from './simulate-backtest';

/** The stored run of a checked request that has no result yet: queued (the service) or running. */
export function pendingBacktestRunRecord(
  id: string,
  resolved: ResolvedBacktestRequest,
  status: 'queued' | 'running',
  createdAt: number,
): BacktestRunRecord {
  const settings = settingsOf(resolved);
  return {
    id,
    name: resolved.name,
    strategy: settings.strategy,
    parameters: settings.parameters,
    symbols: settings.symbols,
    interval: settings.interval,
    startTs: settings.from,
    endTs: settings.to,
    initialCapital: settings.initialCapital,
    finalEquity: null,
    metrics: null,
    status,
    error: null,
    createdAt,
    finishedAt: null,
  };
}
