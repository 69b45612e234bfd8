import { drawdownSeries, equityCurveFromReturns, maxDrawdown } from './drawdown';

describe('drawdown', () => {
  const equity = [100, 120, 90, 110, 130, 117];

  it('measures each point against the running peak', () => {
    const dd = drawdownSeries(equity);
    expect(dd.map((x) => Number(x.toFixed(6)))).toEqual([0, 0, 0.25, 0.083333, 0, 0.1]);
  });

  it('finds the deepest drawdown with its peak, trough and recovery', () => {
    expect(maxDrawdown(equity)).toEqual({ maxDrawdown: 0.25, peakIndex: 1, troughIndex: 2, recoveryIndex: 4 });
    expect(maxDrawdown([100, 90, 80])).toEqual({ maxDrawdown: 0.2, peakIndex: 0, troughIndex: 2, recoveryIndex: null });
    expect(maxDrawdown([1, 2, 3]).maxDrawdown).toBe(0);
  });

  it('rebuilds an equity curve from returns', () => {
    const curve = equityCurveFromReturns([0.2, -0.25, 0.1], 100);
    expect(curve[0]).toBe(100);
    expect(curve[1]).toBeCloseTo(120, 12);
    expect(curve[2]).toBeCloseTo(90, 12);
    expect(curve[3]).toBeCloseTo(99, 12);
  });

  it('refuses a non-positive equity', () => {
    expect(() => drawdownSeries([100, 0])).toThrow(/equity\[1\]/);
  });
});
