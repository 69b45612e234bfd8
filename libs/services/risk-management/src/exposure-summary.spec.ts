import { measureExposure } from './exposure-summary';

describe('measureExposure', () => {
  it('sums gross and net exposure and finds the largest position and base asset', () => {
    const summary = measureExposure({
      equity: 100_000,
      positions: [
        { symbol: 'BTC-USD', quantity: 0.3 },
        { symbol: 'BTC/USDT', quantity: 0.2 },
        { symbol: 'ETH-USD', quantity: -8 },
        { symbol: 'AAPL', quantity: 0 },
      ],
      marks: { 'BTC-USD': 50_000, 'BTC/USDT': 50_000, 'ETH-USD': 2_500, AAPL: 200 },
    });
    expect(summary).toEqual({
      grossExposure: 45_000,
      netExposure: 5_000,
      leverage: 0.45,
      openPositions: 3,
      largestPosition: { symbol: 'ETH-USD', pctOfEquity: 0.2 },
      concentration: { base: 'BTC', pct: 0.25 },
    });
  });

  it('needs a mark for every position', () => {
    expect(() => measureExposure({ equity: 1, positions: [{ symbol: 'AAPL', quantity: 1 }], marks: {} })).toThrow(
      /marks\.AAPL/,
    );
  });
});
