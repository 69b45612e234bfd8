import { kellyFraction, kellySize, kellyStatistics } from './kelly-sizing';

/** `wins` trades of +winSize and `losses` of −lossSize. */
function trades(wins: number, winSize: number, losses: number, lossSize: number): number[] {
  return [...Array<number>(wins).fill(winSize), ...Array<number>(losses).fill(-lossSize)];
}

describe('kellyStatistics', () => {
  it('computes W, R and K = W − (1 − W) / R from closed trades', () => {
    const s = kellyStatistics(trades(6, 150, 4, 100));
    expect(s).toMatchObject({
      trades: 10,
      wins: 6,
      losses: 4,
      winRate: 0.6,
      averageWin: 150,
      averageLoss: 100,
      payoffRatio: 1.5,
    });
    expect(s.kelly).toBeCloseTo(0.333333, 6);
  });

  it('counts break-even trades in W’s denominator, and handles one-sided histories', () => {
    expect(kellyStatistics([10, -10, 0, 0]).winRate).toBe(0.25);
    expect(kellyStatistics([5, 5]).kelly).toBe(1);
    expect(kellyStatistics([-5, -5]).kelly).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('kellyFraction / kellySize', () => {
  it('W = 0.6, R = 1.5: K = 0.3333 → cap 0.30 → quarter Kelly 0.075, inside the 1–20 % clamp', () => {
    const r = kellySize({ equity: 100_000, price: 50, trades: trades(6, 0.015, 4, 0.01) });
    expect(r.rawFraction).toBeCloseTo(1 / 3, 12);
    expect(r.fraction).toBeCloseTo(0.075, 12);
    expect(r.quantity).toBeCloseTo(150, 9);
    expect(r.notional).toBeCloseTo(7_500, 6);
    expect(r.reasons.map((x) => x.code)).toEqual(['kelly-cap', 'kelly-fractional']);
  });

  it('raises a small edge to the 1 % minimum: W = 0.51, R = 1 → K 0.02 → 0.005 → 0.01', () => {
    const k = kellyFraction(trades(51, 1, 49, 1));
    expect(k.rawFraction).toBeCloseTo(0.02, 12);
    expect(k.fraction).toBe(0.01);
    expect(k.reasons.map((x) => x.code)).toEqual(['kelly-fractional', 'clamp-min']);
  });

  it('cuts to the 20 % maximum: full Kelly capped at 0.30', () => {
    const k = kellyFraction(trades(6, 1.5, 4, 1), { fractional: 1 });
    expect(k.fraction).toBe(0.2);
    expect(k.reasons.map((x) => x.code)).toEqual(['kelly-cap', 'kelly-fractional', 'clamp-max']);
  });

  it('sizes nothing without an edge: W = 0.4, R = 1 → K −0.2 → floor 0', () => {
    const r = kellySize({ equity: 100_000, price: 50, trades: trades(4, 1, 6, 1) });
    expect(r.rawFraction).toBeCloseTo(-0.2, 12);
    expect(r.fraction).toBe(0);
    expect(r.quantity).toBe(0);
    expect(r.reasons.map((x) => x.code)).toEqual(['kelly-floor', 'no-edge']);
  });

  it('sizes nothing on too short a history', () => {
    const k = kellyFraction(trades(3, 1, 1, 1));
    expect(k.fraction).toBe(0);
    expect(k.reasons.map((x) => x.code)).toEqual(['insufficient-history']);
  });

  it('rejects options outside their range', () => {
    expect(() => kellyFraction(trades(6, 1.5, 4, 1), { minPosition: 0.3 })).toThrow(/minPosition/);
  });
});
