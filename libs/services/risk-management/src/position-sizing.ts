import { DOMAIN_LIMITS, ValidationError, type FieldProblem } from '@rrr/core';

export type SizingMethod = 'fixed-fraction' | 'volatility-target' | 'kelly' | 'monte-carlo-kelly';

/** Why the size is what it is: every cap, floor, clamp or rounding that changed the answer names itself here. */
export type SizingReasonCode =
  | 'risk-per-trade'
  | 'kelly-cap'
  | 'kelly-floor'
  | 'kelly-fractional'
  | 'no-edge'
  | 'insufficient-history'
  | 'no-losses'
  | 'zero-volatility'
  | 'drawdown-constraint'
  | 'clamp-min'
  | 'clamp-max'
  | 'no-equity'
  | 'lot-rounding'
  | 'below-min-quantity'
  | 'above-max-quantity';

export interface SizingReason {
  code: SizingReasonCode;
  message: string;
}

export interface SizingResult {
  method: SizingMethod;
  /** The method's own answer, before any clamp. */
  rawFraction: number;
  /** Fraction of equity to hold, after the clamps. */
  fraction: number;
  /** Base units for the given equity and price, rounded down to the lot step; 0 when nothing should be traded. */
  quantity: number;
  /** quantity × price. */
  notional: number;
  reasons: SizingReason[];
}

/** What every sizing method turns a fraction into a quantity for. */
export interface SizingTarget {
  equity: number;
  price: number;
  /** Lot size: the quantity is rounded down to a multiple of it. */
  quantityStep?: number;
}

export interface FractionClamp {
  min: number;
  max: number;
}

export function checkSizingTarget(subject: string, target: SizingTarget): void {
  const problems: FieldProblem[] = [];
  if (!Number.isFinite(target.equity))
    problems.push({ field: 'equity', message: 'must be a finite number', value: target.equity });
  if (!(target.price > 0) || !Number.isFinite(target.price)) {
    problems.push({ field: 'price', message: 'must be a finite price > 0', value: target.price });
  }
  if (target.quantityStep !== undefined && !(target.quantityStep > 0 && Number.isFinite(target.quantityStep))) {
    problems.push({ field: 'quantityStep', message: 'must be a finite number > 0', value: target.quantityStep });
  }
  if (problems.length > 0) throw new ValidationError(subject, problems);
}

export function checkFraction(subject: string, field: string, value: number, max = 1): void {
  if (!(value >= 0 && value <= max)) {
    throw new ValidationError(subject, [{ field, message: `must be a number in [0, ${max}]`, value }]);
  }
}

/** Clamps a positive fraction into [min, max], recording which bound bit; 0 stays 0 (no position is not raised). */
export function clampFraction(fraction: number, clamp: FractionClamp, reasons: SizingReason[]): number {
  if (fraction <= 0) return 0;
  if (fraction < clamp.min) {
    reasons.push({ code: 'clamp-min', message: `fraction ${fraction} raised to the minimum position ${clamp.min}` });
    return clamp.min;
  }
  if (fraction > clamp.max) {
    reasons.push({ code: 'clamp-max', message: `fraction ${fraction} cut to the maximum position ${clamp.max}` });
    return clamp.max;
  }
  return fraction;
}

/** Turns a final fraction into a tradable quantity: lot rounding, then the domain's order quantity bounds. */
export function sizeFromFraction(
  method: SizingMethod,
  rawFraction: number,
  fraction: number,
  target: SizingTarget,
  reasons: SizingReason[],
): SizingResult {
  if (!(target.equity > 0)) {
    reasons.push({ code: 'no-equity', message: `equity ${target.equity} is not positive: nothing can be sized` });
    return { method, rawFraction, fraction, quantity: 0, notional: 0, reasons };
  }
  let quantity = (target.equity * fraction) / target.price;
  if (quantity > DOMAIN_LIMITS.orderQuantityMax) {
    reasons.push({
      code: 'above-max-quantity',
      message: `quantity ${quantity} cut to the largest order quantity ${DOMAIN_LIMITS.orderQuantityMax}`,
    });
    quantity = DOMAIN_LIMITS.orderQuantityMax;
  }
  if (target.quantityStep !== undefined && quantity > 0) {
    // The small slack keeps 0.3 / 0.1 (= 2.9999999999999996) from rounding down a whole lot.
    const lots = Math.floor(quantity / target.quantityStep + 1e-9);
    const rounded = roundToStep(lots * target.quantityStep, target.quantityStep);
    if (rounded !== quantity) {
      reasons.push({
        code: 'lot-rounding',
        message: `quantity ${quantity} rounded down to ${rounded} (lot ${target.quantityStep})`,
      });
    }
    quantity = rounded;
  }
  if (quantity > 0 && quantity < DOMAIN_LIMITS.orderQuantityMin) {
    reasons.push({
      code: 'below-min-quantity',
      message: `quantity ${quantity} is below the smallest order quantity ${DOMAIN_LIMITS.orderQuantityMin}: no order`,
    });
    quantity = 0;
  }
  return { method, rawFraction, fraction, quantity, notional: quantity * target.price, reasons };
}

/** Removes the binary noise of lots × step (3 × 0.1 = 0.30000000000000004) at the step's own precision. */
function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, Math.min(15, Math.ceil(-Math.log10(step)) + 2));
  return Number(value.toFixed(decimals));
}
