import { ValidationError } from '@rrr/core';
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

export interface FixedFractionInput extends SizingTarget {
  /** Fraction of equity to hold; with `stopPrice`, the fraction of equity to risk down to the stop. */
  fraction: number;
  /** Protective stop: sizes so that a fill at the stop loses `fraction` of equity. */
  stopPrice?: number;
  /** Largest position as a fraction of equity (default: maxPositionPct 0.20). */
  maxFraction?: number;
}

/**
 * Fixed-fractional sizing, in its two usual readings: hold `fraction` of equity, or — given a stop — risk
 * `fraction` of equity on the distance to the stop (qty = fraction × equity / |price − stop|).
 */
export function fixedFractionSize(input: FixedFractionInput): SizingResult {
  checkSizingTarget('fixed-fraction sizing', input);
  checkFraction('fixed-fraction sizing', 'fraction', input.fraction);
  const maxFraction = input.maxFraction ?? DEFAULT_RISK_LIMITS.maxPositionPct;
  checkFraction('fixed-fraction sizing', 'maxFraction', maxFraction, Number.MAX_VALUE);
  const reasons: SizingReason[] = [];
  let raw = input.fraction;
  if (input.stopPrice !== undefined) {
    const distance = Math.abs(input.price - input.stopPrice);
    if (!(distance > 0) || !Number.isFinite(distance)) {
      throw new ValidationError('fixed-fraction sizing', [
        {
          field: 'stopPrice',
          message: `must be a finite price different from price ${input.price}`,
          value: input.stopPrice,
        },
      ]);
    }
    raw = (input.fraction * input.price) / distance;
    reasons.push({
      code: 'risk-per-trade',
      message: `risking ${input.fraction} of equity over a stop distance of ${distance} per unit = position fraction ${raw}`,
    });
  }
  const fraction = clampFraction(raw, { min: 0, max: maxFraction }, reasons);
  return sizeFromFraction('fixed-fraction', raw, fraction, input, reasons);
}
