import { validateBar, type Bar, type Trade } from '@rrr/core';
import { SyntheticMarket } from './synthetic-market';
import { createSyntheticSource, createSyntheticTradeSource } from './synthetic-source';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

async function read<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('synthetic market', () => {
  it('is reproducible from its seed: same seed, identical bars; another seed, other bars', async () => {
    const options = { symbol: 'BTC-USD', interval: '1h' as const, seed: 42, from: T0, to: T0 + 30 * DAY };
    const a = await read(createSyntheticSource(options));
    const b = await read(createSyntheticSource(options));
    const c = await read(createSyntheticSource({ ...options, seed: 43 }));
    expect(a).toHaveLength(720);
    expect(b).toEqual(a);
    expect(c.map((bar) => bar.close)).not.toEqual(a.map((bar) => bar.close));
  });

  it('starts BTC-USD at 50,000 and ETH-USD at 3,000, with independent paths per symbol', async () => {
    const range = { interval: '1d' as const, seed: 42, from: T0, to: T0 + 10 * DAY };
    const [btc] = await read(createSyntheticSource({ ...range, symbol: 'BTC-USD' }));
    const [eth] = await read(createSyntheticSource({ ...range, symbol: 'ETH-USD' }));
    expect(btc.open).toBe(50_000);
    expect(eth.open).toBe(3_000);
    expect(btc.close / btc.open).not.toBeCloseTo(eth.close / eth.open, 6);
  });

  it('makes valid, continuous bars: each opens at the previous close, with vwap and trades', async () => {
    const bars = await read(
      createSyntheticSource({ symbol: 'ETH-USD', interval: '5m', seed: 1, from: T0, to: T0 + 2 * DAY }),
    );
    for (const bar of bars) expect(validateBar(bar)).toEqual([]);
    for (let i = 1; i < bars.length; i++) expect(bars[i].open).toBe(bars[i - 1].close);
    expect(bars.map((b) => b.ts)).toEqual(bars.map((_, i) => T0 + i * 300_000));
  });

  it('has the configured daily volatility (0.02) in a single calm regime without jumps', async () => {
    const bars = await read(
      createSyntheticSource({
        symbol: 'BTC-USD',
        interval: '1d',
        seed: 9,
        from: T0,
        to: T0 + 4000 * DAY,
        regimes: [{ name: 'calm', volMultiplier: 1, meanDays: 1 }],
        jumps: { perDay: 0, meanLog: 0, stdLog: 0 },
        priceDecimals: 8,
      }),
    );
    const returns = bars.slice(1).map((b, i) => Math.log(b.close / bars[i].close));
    const mean = returns.reduce((a, r) => a + r, 0) / returns.length;
    const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1));
    // 4,000 returns: the standard error of σ is about 0.02/√8000 = 0.00022.
    expect(std).toBeGreaterThan(0.019);
    expect(std).toBeLessThan(0.021);
  });

  it('switches volatility regimes and jumps: turbulent stretches and fat tails', async () => {
    const bars = await read(
      createSyntheticSource({
        symbol: 'BTC-USD',
        interval: '1d',
        seed: 5,
        from: T0,
        to: T0 + 3000 * DAY,
        jumps: { perDay: 0.2, meanLog: 0, stdLog: 0.1 },
      }),
    );
    const returns = bars.slice(1).map((b, i) => Math.log(b.close / bars[i].close));
    const std = Math.sqrt(returns.reduce((a, r) => a + r * r, 0) / returns.length);
    const kurtosis = returns.reduce((a, r) => a + r ** 4, 0) / returns.length / std ** 4;
    // A Gaussian has kurtosis 3; regime switching plus jumps must fatten the tails well beyond it.
    expect(kurtosis).toBeGreaterThan(6);
    const market = new SyntheticMarket({ symbol: 'BTC-USD', seed: 5 });
    const regimes = new Set<string>();
    for (let day = 0; day < 200; day++) {
      market.nextBar(T0 + day * DAY, '1d');
      regimes.add(market.regimeName);
    }
    expect(regimes).toEqual(new Set(['calm', 'turbulent']));
  });

  it('yields exactly the suffix of a full read when read from a later point (resume)', async () => {
    const source = createSyntheticSource({
      symbol: 'ETH-USD',
      interval: '1m',
      seed: 3,
      from: T0,
      to: T0 + DAY,
      batchSize: 100,
    });
    const all = await read(source);
    const later: Bar[] = [];
    for await (const batch of source.batches({ from: all[1000].ts, to: all[1200].ts })) later.push(...batch.items);
    expect(later).toEqual(all.slice(1000, 1200));
  });

  it('produces reproducible trades', async () => {
    const options = { symbol: 'BTC-USD', seed: 42, from: T0, to: T0 + 60_000, everyMs: 1_000 };
    const a: Trade[] = await read(createSyntheticTradeSource(options));
    expect(a).toHaveLength(60);
    expect(await read(createSyntheticTradeSource(options))).toEqual(a);
    expect(a[0]).toMatchObject({ symbol: 'BTC-USD', ts: T0 });
    expect(a.every((t) => t.quantity > 0 && (t.side === 'buy' || t.side === 'sell'))).toBe(true);
  });

  it('refuses bad parameters, naming them', () => {
    expect(() =>
      createSyntheticSource({ symbol: 'BTC-USD', interval: '1m', seed: -1, from: T0, to: T0 - 1, volatility: 0 }),
    ).toThrow(/to: must be epoch ms > from/);
    expect(() => new SyntheticMarket({ symbol: 'BTC-USD', seed: -1, volatility: 0 })).toThrow(
      /seed: must be an integer in \[0, 4294967295\].*volatility: must be a number > 0/,
    );
  });
});
