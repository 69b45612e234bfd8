import { ValidationError } from '@rrr/core';
import { baseAssetOf } from './pre-trade-context';
import { ratioToEquity } from './pre-trade-rule';
import type { RiskSnapshot } from './risk-snapshot';

export interface ExposureSummary {
  /** Σ |quantity| × mark over positions. */
  grossExposure: number;
  /** Σ quantity × mark: long minus short. */
  netExposure: number;
  /** grossExposure / equity. */
  leverage: number;
  openPositions: number;
  largestPosition: { symbol: string; pctOfEquity: number } | null;
  /** The most concentrated base asset, as a share of max(gross exposure, equity) (the max-concentration measure). */
  concentration: { base: string; pct: number } | null;
}

/** Exposure of the positions held now (working orders excluded), for the risk score and dashboards. */
export function measureExposure(snapshot: Pick<RiskSnapshot, 'equity' | 'positions' | 'marks'>): ExposureSummary {
  let grossExposure = 0;
  let netExposure = 0;
  const bySymbol = new Map<string, number>();
  for (const p of snapshot.positions) {
    if (p.quantity === 0) continue;
    const mark = snapshot.marks[p.symbol];
    if (!(mark > 0) || !Number.isFinite(mark)) {
      throw new ValidationError('risk snapshot', [
        { field: `marks.${p.symbol}`, message: 'must be a price > 0 for every position', value: mark },
      ]);
    }
    bySymbol.set(p.symbol, (bySymbol.get(p.symbol) ?? 0) + p.quantity * mark);
  }
  const byBase = new Map<string, number>();
  let largestPosition: ExposureSummary['largestPosition'] = null;
  let openPositions = 0;
  for (const [symbol, value] of bySymbol) {
    if (value === 0) continue;
    openPositions += 1;
    const size = Math.abs(value);
    grossExposure += size;
    netExposure += value;
    const pct = ratioToEquity(size, snapshot.equity);
    if (largestPosition === null || pct > largestPosition.pctOfEquity) largestPosition = { symbol, pctOfEquity: pct };
    const base = baseAssetOf(symbol);
    byBase.set(base, (byBase.get(base) ?? 0) + size);
  }
  let concentration: ExposureSummary['concentration'] = null;
  const denominator = Math.max(grossExposure, snapshot.equity);
  for (const [base, size] of byBase) {
    const pct = ratioToEquity(size, denominator);
    if (concentration === null || pct > concentration.pct) concentration = { base, pct };
  }
  return {
    grossExposure,
    netExposure,
    leverage: ratioToEquity(grossExposure, snapshot.equity),
    openPositions,
    largestPosition,
    concentration,
  };
}
