import type { Bar, Interval } from '@rrr/core';

export interface BarPrices {
  open: number;
  high?: number;
  low?: number;
  close?: number;
  volume?: number;
}

/** A bar with defaults that keep it valid: high/low span open and close, volume 1,000. */
export function makeBar(symbol: string, ts: number, prices: BarPrices, interval: Interval = '1m'): Bar {
  const close = prices.close ?? prices.open;
  return {
    symbol,
    interval,
    ts,
    open: prices.open,
    high: prices.high ?? Math.max(prices.open, close),
    low: prices.low ?? Math.min(prices.open, close),
    close,
    volume: prices.volume ?? 1_000,
  };
}
