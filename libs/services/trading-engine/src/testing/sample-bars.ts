import { readFileSync } from 'node:fs';
import type { Bar } from '@rrr/core';

/** AAPL daily bars 2013-05-13..2018-05-11 (1,260) from @observablehq/sample-datasets, real prices, offline. */
export function loadAaplDailyBars(): Bar[] {
  const text = readFileSync(require.resolve('@observablehq/sample-datasets/aapl.csv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [date, open, high, low, close, , volume] = line.split(',');
      return {
        symbol: 'AAPL',
        interval: '1d' as const,
        ts: Date.parse(`${date}T00:00:00Z`),
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume),
      };
    });
}
