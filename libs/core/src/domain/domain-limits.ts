/**
 * The legacy system's documented validation thresholds (DESIGN.md "Validation"), in one place so risk checks,
 * data validation and tests agree on the same numbers.
 */
export const DOMAIN_LIMITS = {
  /** Prices must be strictly greater than this. */
  priceMinExclusive: 0,
  /** Prices must be strictly less than this. */
  priceMaxExclusive: 1e7,
  /** Smallest order quantity accepted (inclusive). */
  orderQuantityMin: 1e-6,
  /** Largest order quantity accepted (inclusive). */
  orderQuantityMax: 1e6,
  symbolMinLength: 3,
  symbolMaxLength: 20,
  /** Latest instant a JS Date can represent; anything later cannot be shown as ISO at the edges. */
  timestampMaxMs: 8.64e15,
  /** How far `down + flat + up` may stray from 1 before a prediction is rejected (float rounding of softmax). */
  probabilitySumTolerance: 1e-6,
  /** Identifiers (order ids, client order ids, fill ids) are at most this long. */
  idMaxLength: 64,
} as const;
