import { fromExchangeSymbol, toExchangeSymbol } from './exchange-symbol';

describe('exchange symbols', () => {
  it('converts between platform and ccxt spellings', () => {
    expect(toExchangeSymbol('BTC-USDT')).toBe('BTC/USDT');
    expect(toExchangeSymbol('ETH/USD')).toBe('ETH/USD');
    expect(fromExchangeSymbol('BTC/USDT')).toBe('BTC-USDT');
  });

  it('refuses what is not a pair', () => {
    expect(() => toExchangeSymbol('AAPL')).toThrow(/must be a pair/);
    expect(() => toExchangeSymbol('btc-usdt')).toThrow(/must be a pair/);
    expect(fromExchangeSymbol('BTC/USDT:USDT')).toBeUndefined();
  });
});
