import type { ServiceBlueprint } from '../service-blueprint';

export const dataPipelineBlueprint: ServiceBlueprint = {
  folder: 'data_pipeline',
  title: 'Data pipeline',
  port: 8001,
  dependsOn: ['api_integration'],
  aliasImport: {
    specifier: '@services/data_pipeline/validation/bar-validator',
    name: 'validateBar',
    call: 'validateBar({ symbol: "BTC-USD", time: 0, open: 1, high: 1, low: 1, close: 1, volume: 0 }).length',
  },
  commits: [
    {
      message: 'pipeline: bar validation rules',
      files: {
        'src/validation/bar-validator.ts': `import type { Bar } from '@shared/types';

const SYMBOL = /^[A-Z0-9]+([-/][A-Z0-9]+)?$/;

/** Every rule the bar breaks, empty when valid. */
export function validateBar(bar: Bar): string[] {
  const problems: string[] = [];
  if (!SYMBOL.test(bar.symbol) || bar.symbol.length < 3 || bar.symbol.length > 20) problems.push('symbol ' + bar.symbol + ' is malformed');
  for (const field of ['open', 'high', 'low', 'close'] as const) {
    if (!(bar[field] > 0 && bar[field] < 1e7)) problems.push(field + ' out of range');
  }
  if (bar.volume < 0) problems.push('negative volume');
  if (bar.high < Math.max(bar.open, bar.close, bar.low)) problems.push('high below open/close/low');
  if (bar.low > Math.min(bar.open, bar.close)) problems.push('low above open/close');
  return problems;
}
`,
        'src/index.ts': `export * from './validation/bar-validator';
`,
      },
    },
    {
      message: 'pipeline: tick to bar aggregation',
      files: {
        'src/aggregation/barAggregator.ts': `import type { Bar } from '@shared/types';

export interface Tick {
  symbol: string;
  time: number;
  price: number;
  size: number;
}

/** Buckets ticks (any order) into OHLCV bars of intervalMs, aligned to the epoch. */
export function aggregateTicks(ticks: readonly Tick[], intervalMs: number): Bar[] {
  const buckets = new Map<string, Tick[]>();
  for (const tick of [...ticks].sort((a, b) => a.time - b.time)) {
    const start = Math.floor(tick.time / intervalMs) * intervalMs;
    const key = tick.symbol + '@' + start;
    buckets.set(key, [...(buckets.get(key) ?? []), tick]);
  }
  return [...buckets.values()].map((group) => ({
    symbol: group[0].symbol,
    time: Math.floor(group[0].time / intervalMs) * intervalMs,
    open: group[0].price,
    high: Math.max(...group.map((t) => t.price)),
    low: Math.min(...group.map((t) => t.price)),
    close: group[group.length - 1].price,
    volume: group.reduce((sum, t) => sum + t.size, 0),
  }));
}
`,
        'src/sources/market_data_source.ts': `import type { Bar } from '@shared/types';
import { ExchangeClient } from '../../../../worktrees/api_integration/src/clients/exchange-client';
import { validateBar } from '../validation/bar-validator';

/** Bars from the exchange, oldest first, invalid ones dropped. */
export class MarketDataSource {
  constructor(private readonly client: ExchangeClient) {}

  async latestBars(symbol: string, limit: number): Promise<Bar[]> {
    const bars = await this.client.getBars(symbol, limit);
    return bars.filter((bar) => validateBar(bar).length === 0).sort((a, b) => a.time - b.time);
  }
}
`,
        'src/index.ts': `export * from './validation/bar-validator';
export * from './aggregation/barAggregator';
export * from './sources/market_data_source';
`,
      },
    },
    {
      message: 'pipeline: unit tests',
      files: {
        'tests/bar-validator.test.ts': `import { validateBar } from '../src/validation/bar-validator';

const good = { symbol: 'BTC-USD', time: 0, open: 100, high: 110, low: 95, close: 105, volume: 3 };

describe('validateBar', () => {
  it('accepts a consistent bar', () => {
    expect(validateBar(good)).toEqual([]);
  });

  it('names every broken rule', () => {
    expect(validateBar({ ...good, symbol: 'b', high: 90, volume: -1 })).toEqual(['symbol b is malformed', 'negative volume', 'high below open/close/low']);
  });
});
`,
        'tests/bar_aggregator.test.ts': `import { aggregateTicks } from '../src/aggregation/barAggregator';

describe('aggregateTicks', () => {
  it('builds OHLCV per minute from unordered ticks', () => {
    const ticks = [
      { symbol: 'X', time: 61_000, price: 12, size: 1 },
      { symbol: 'X', time: 1_000, price: 10, size: 2 },
      { symbol: 'X', time: 30_000, price: 11, size: 1 },
      { symbol: 'X', time: 59_000, price: 9, size: 4 },
    ];
    expect(aggregateTicks(ticks, 60_000)).toEqual([
      { symbol: 'X', time: 0, open: 10, high: 11, low: 9, close: 9, volume: 7 },
      { symbol: 'X', time: 60_000, open: 12, high: 12, low: 12, close: 12, volume: 1 },
    ]);
  });
});
`,
        'tests/market_data_source.test.ts': `import { ExchangeClient } from '@services/api_integration/clients/exchange-client';
import { MarketDataSource } from '../src/sources/market_data_source';

describe('MarketDataSource', () => {
  it('sorts bars and drops invalid ones', async () => {
    const bars = [
      { symbol: 'BTC-USD', time: 2, open: 1, high: 2, low: 1, close: 2, volume: 1 },
      { symbol: 'BTC-USD', time: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 },
      { symbol: 'BTC-USD', time: 3, open: 1, high: 0.5, low: 1, close: 1, volume: 1 },
    ];
    const source = new MarketDataSource(new ExchangeClient(async () => bars));
    expect((await source.latestBars('BTC-USD', 3)).map((bar) => bar.time)).toEqual([1, 2]);
  });
});
`,
      },
    },
  ],
};
