import { describeCredentials, readExchangeCredentials } from './exchange-credentials';

describe('exchange credentials', () => {
  it('reads both halves from the exchange variables only', () => {
    expect(readExchangeCredentials('binance', { BINANCE_API_KEY: ' k ', BINANCE_SECRET: 's' })).toEqual({
      apiKey: 'k',
      secret: 's',
    });
    expect(readExchangeCredentials('binance', { BINANCE_API_KEY: 'k', COINBASE_SECRET: 's' })).toBeUndefined();
    expect(readExchangeCredentials('coinbase', { COINBASE_API_KEY: 'k', COINBASE_SECRET: '' })).toBeUndefined();
  });

  it('turns escaped newlines of a PEM secret into real ones', () => {
    const pem = '-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEE\\n-----END EC PRIVATE KEY-----';
    expect(
      readExchangeCredentials('coinbase', { COINBASE_API_KEY: 'organizations/o/apiKeys/k', COINBASE_SECRET: pem })
        ?.secret,
    ).toBe('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----');
  });

  it('describes credentials without their values', () => {
    expect(describeCredentials('coinbase', { apiKey: 'k', secret: 's' })).toEqual({
      apiKey: '[redacted]',
      secret: '[redacted]',
      source: 'env COINBASE_API_KEY / COINBASE_SECRET',
    });
    expect(describeCredentials('binance', undefined).apiKey).toBe('(not set)');
  });
});
