import type { Bar, Clock, Interval, Trade } from '@rrr/core';
import type { FeedTimer } from './feed-timer';

/** What every live feed takes: its markets, its pace, and the consumers of its trades and bars. */
export interface LiveFeedOptions {
  /** Platform symbols, `BTC-USD`. */
  symbols: readonly string[];
  /** Bars built from the trades. Default 1m. */
  interval?: Interval;
  /** Time between two ticks of the feed's timer (ms). Default 1,000. */
  tickMs?: number;
  clock?: Clock;
  timer?: FeedTimer;
  onTrade?: (trade: Trade) => void | Promise<void>;
  onBar?: (bar: Bar) => void | Promise<void>;
  /** A consumer (or, for a feed that has one, its source) failed: reported, it never stops the feed. */
  onError?: (error: unknown) => void;
}
