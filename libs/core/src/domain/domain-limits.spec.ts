import { DOMAIN_LIMITS } from './domain-limits';

describe('DOMAIN_LIMITS', () => {
  it('keeps the legacy validation parameters', () => {
    expect(DOMAIN_LIMITS.priceMinExclusive).toBe(0);
    expect(DOMAIN_LIMITS.priceMaxExclusive).toBe(10_000_000);
    expect(DOMAIN_LIMITS.orderQuantityMin).toBe(0.000001);
    expect(DOMAIN_LIMITS.orderQuantityMax).toBe(1_000_000);
    expect([DOMAIN_LIMITS.symbolMinLength, DOMAIN_LIMITS.symbolMaxLength]).toEqual([3, 20]);
  });

  it('bounds timestamps by what Date can render', () => {
    expect(new Date(DOMAIN_LIMITS.timestampMaxMs).toISOString()).toBe('+275760-09-13T00:00:00.000Z');
    expect(Number.isNaN(new Date(DOMAIN_LIMITS.timestampMaxMs + 1).getTime())).toBe(true);
  });
});
