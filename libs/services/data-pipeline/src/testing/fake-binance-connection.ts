import { FakeBinanceServer, HttpClient, createExchangeClient, type ExchangeClient } from '@rrr/api-integration';

/** An HttpClient for local fake venues: no rate limit to speak of, retries without waiting. */
export function fastTestHttp(): HttpClient {
  return new HttpClient({
    defaultRateLimit: { refillPerSecond: 10_000 },
    retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: async () => undefined,
  });
}

/** A local server speaking Binance's REST and WebSocket APIs, and the platform's exchange client connected to it. */
export interface FakeBinanceConnection {
  fake: FakeBinanceServer;
  client: ExchangeClient;
  close(): Promise<void>;
}

/** Starts the fake and connects a client to it (public data: no credentials; quick reconnects). */
export async function connectToFakeBinance(): Promise<FakeBinanceConnection> {
  const fake = await FakeBinanceServer.start();
  const http = fastTestHttp();
  const client = createExchangeClient({
    exchange: 'binance',
    env: {},
    urls: { rest: fake.restUrl, ws: fake.wsUrl },
    http,
    reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
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
