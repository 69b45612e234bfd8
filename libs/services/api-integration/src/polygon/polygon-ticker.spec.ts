import { polygonInterval, polygonTickerToSymbol } from './polygon-ticker';

describe('polygon tickers and ranges', () => {
  it('maps tickers to platform symbols', () => {
    expect(polygonTickerToSymbol('X:BTCUSD')).toBe('BTC-USD');
    expect(polygonTickerToSymbol('X:ETHUSDT')).toBe('ETH-USDT');
    expect(polygonTickerToSymbol('C:EURUSD')).toBe('EUR-USD');
    expect(polygonTickerToSymbol('I:SPX')).toBe('SPX');
    expect(polygonTickerToSymbol('AAPL')).toBe('AAPL');
    expect(() => polygonTickerToSymbol('BRK.B')).toThrow(/pass "symbol" explicitly/);
  });

  it('maps ranges to core intervals and refuses the rest', () => {
    expect(polygonInterval(1, 'minute')).toBe('1m');
    expect(polygonInterval(15, 'minute')).toBe('15m');
    expect(polygonInterval(1, 'hour')).toBe('1h');
    expect(polygonInterval(4, 'hour')).toBe('4h');
    expect(polygonInterval(1, 'day')).toBe('1d');
    expect(() => polygonInterval(3, 'minute')).toThrow(/got 3\/minute/);
  });
});
