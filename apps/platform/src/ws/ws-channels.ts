import type { PlatformTopic } from '@rrr/core';

/**
 * The channels a WebSocket client can subscribe to, in the order a trade comes about: market data, the strategies'
 * and models' signals and the models' predictions, then orders, fills and what follows from them.
 */
export const WS_CHANNELS = [
  'bars',
  'trades',
  'signals',
  'predictions',
  'orders',
  'fills',
  'portfolio',
  'alerts',
  'health',
] as const;

export type WsChannel = (typeof WS_CHANNELS)[number];

/** The bus topic (or pattern) behind each channel. */
export const WS_CHANNEL_TOPICS: Readonly<Record<WsChannel, PlatformTopic | 'order.*'>> = Object.freeze({
  bars: 'bar',
  trades: 'trade',
  signals: 'signal',
  predictions: 'prediction',
  orders: 'order.*',
  fills: 'fill',
  portfolio: 'position',
  alerts: 'risk.alert',
  health: 'service.status',
});
