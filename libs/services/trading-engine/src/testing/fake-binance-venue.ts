import { createExchangeClient, FakeBinanceServer, HttpClient, type ExchangeClient } from '@rrr/api-integration';

export interface FakeBinanceVenue {
  fake: FakeBinanceServer;
  /** A ccxt client on the fake, signed with the credentials it was started with. */
  client: ExchangeClient;
  /** Closes the client, its HTTP pool and the fake. */
  close(): Promise<void>;
}

/** api-integration's fake Binance server holding `balances`, and a client on it that no rate limit or retry slows. */
export async function startFakeBinanceVenue(
  credentials: { BINANCE_API_KEY: string; BINANCE_SECRET: string },
  balances: Record<string, number>,
): Promise<FakeBinanceVenue> {
  const fake = await FakeBinanceServer.start({
    apiKey: credentials.BINANCE_API_KEY,
    secret: credentials.BINANCE_SECRET,
    balances,
  });
  const http = new HttpClient({ defaultRateLimit: { refillPerSecond: 10_000 }, retry: { retries: 0 } });
  const client = createExchangeClient({
    exchange: 'binance',
    env: credentials,
    urls: { rest: fake.restUrl, ws: fake.wsUrl },
    http,
  });
  return {
    fake,
    client,
    close: async () => {
      await client.close();
      await http.close();
      await fake.close();
    },
  };
}
