import { ValidationError } from '@rrr/core';
import { fixedFractionSize } from './fixed-fraction-sizing';

describe('fixedFractionSize', () => {
  it('holds a fraction of equity: 10 % of 100 000 at 50 = 200 units', () => {
    expect(fixedFractionSize({ equity: 100_000, price: 50, fraction: 0.1 })).toEqual({
      method: 'fixed-fraction',
      rawFraction: 0.1,
      fraction: 0.1,
      quantity: 200,
      notional: 10_000,
      reasons: [],
    });
  });

  it('risks a fraction of equity down to a stop, clamped to the maximum position', () => {
    // 1 % of 100 000 = 1 000 at risk over 2 per unit = 500 units = 25 000 = 25 % > 20 %.
    const r = fixedFractionSize({ equity: 100_000, price: 50, fraction: 0.01, stopPrice: 48 });
    expect(r.rawFraction).toBeCloseTo(0.25, 12);
    expect(r.fraction).toBe(0.2);
    expect(r.quantity).toBeCloseTo(400, 9);
    expect(r.reasons.map((x) => x.code)).toEqual(['risk-per-trade', 'clamp-max']);
    const inside = fixedFractionSize({ equity: 100_000, price: 50, fraction: 0.005, stopPrice: 48 });
    expect(inside.quantity).toBeCloseTo(250, 9);
    expect(inside.reasons.map((x) => x.code)).toEqual(['risk-per-trade']);
  });

  it('rounds down to the lot step and drops what is below the minimum order quantity', () => {
    const r = fixedFractionSize({ equity: 1_000, price: 3, fraction: 0.1, quantityStep: 0.1 });
    // 100 / 3 = 33.33… → 33.3
    expect(r.quantity).toBe(33.3);
    expect(r.reasons.map((x) => x.code)).toEqual(['lot-rounding']);
    const dust = fixedFractionSize({ equity: 1, price: 60_000, fraction: 0.00001 });
    expect(dust.quantity).toBe(0);
    expect(dust.reasons.map((x) => x.code)).toEqual(['below-min-quantity']);
  });

  it('sizes nothing without equity and refuses nonsense inputs, naming the field', () => {
    expect(fixedFractionSize({ equity: -5, price: 10, fraction: 0.1 })).toMatchObject({
      quantity: 0,
      reasons: [{ code: 'no-equity' }],
    });
    expect(() => fixedFractionSize({ equity: 1_000, price: 0, fraction: 0.1 })).toThrow(
      /price: must be a finite price > 0/,
    );
    expect(() => fixedFractionSize({ equity: 1_000, price: 10, fraction: 1.5 })).toThrow(ValidationError);
    expect(() => fixedFractionSize({ equity: 1_000, price: 10, fraction: 0.1, stopPrice: 10 })).toThrow(/stopPrice/);
  });
});
