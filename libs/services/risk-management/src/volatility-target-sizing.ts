import { ValidationError } from '@rrr/core';
import { annualisedVolatility } from './risk-statistics';
import {
  checkFraction,
  checkSizingTarget,
  clampFraction,
  sizeFromFraction,
  type SizingReason,
  type SizingResult,
  type SizingTarget,
} from './position-sizing';
import { DEFAULT_RISK_LIMITS } from './risk-limits';

export interface VolatilityTargetInput extends SizingTarget {
  /** Periodic returns of the asset (e.g. daily simple returns), oldest first. */
  returns: readonly number[];
  /** Annualised volatility the position should contribute, e.g. 0.10. */
  targetVolatility: number;
  /** Periods per year of `returns` (default 252 trading days). */
  periodsPerYear?: number;
  /** Bounds on the fraction of equity (default 0 .. maxPositionPct 0.20). */
  minFraction?: number;
  maxFraction?: number;
}

export interface VolatilityTargetResult extends SizingResult {
  /** Annualised volatility of the asset measured from `returns`. */
  assetVolatility: number;
}

/** fraction = target annual volatility / the asset's annualised volatility, clamped. */
export function volatilityTargetSize(input: VolatilityTargetInput): VolatilityTargetResult {
  checkSizingTarget('volatility-target sizing', input);
  if (!(input.targetVolatility > 0) || !Number.isFinite(input.targetVolatility)) {
    throw new ValidationError('volatility-target sizing', [
      { field: 'targetVolatility', message: 'must be a finite number > 0', value: input.targetVolatility },
    ]);
  }
  const min = input.minFraction ?? 0;
  const max = input.maxFraction ?? DEFAULT_RISK_LIMITS.maxPositionPct;
  checkFraction('volatility-target sizing', 'minFraction', min, Number.MAX_VALUE);
  checkFraction('volatility-target sizing', 'maxFraction', max, Number.MAX_VALUE);
  const assetVolatility = annualisedVolatility(input.returns, input.periodsPerYear);
  const reasons: SizingReason[] = [];
  let raw: number;
  if (assetVolatility === 0) {
    raw = Number.POSITIVE_INFINITY;
    reasons.push({
      code: 'zero-volatility',
      message: 'the asset showed no volatility: the target alone cannot bound the size',
    });
  } else {
    raw = input.targetVolatility / assetVolatility;
  }
  const fraction = clampFraction(raw, { min, max }, reasons);
  return { ...sizeFromFraction('volatility-target', raw, fraction, input, reasons), assetVolatility };
}
