import { ValidationError, type FieldProblem } from '@rrr/core';

export interface WsRateOptions {
  /** Burst size. */
  capacity: number;
  refillPerSecond: number;
}

export interface WsGatewayOptions {
  /** How often the server sends `{"op":"ping"}`. */
  heartbeatIntervalMs: number;
  /** A client that sends no frame at all across this many heartbeats is closed with 4000. */
  maxMissedHeartbeats: number;
  /**
   * Largest client frame; a bigger one closes the connection with 1009 and a reason. ws itself refuses frames over
   * 4× this before buffering them (1009, without a reason: it cuts the connection as soon as the header is read).
   */
  maxPayloadBytes: number;
  /**
   * Bound of a client's send queue (the socket's unsent bytes, `bufferedAmount`). A client whose queue would exceed it
   * is dropped with 1013: the publisher never waits for a client and no client's backlog grows without bound.
   */
  maxBufferedBytes: number;
  maxClients: number;
  /** Distinct symbols one client may follow across its channels. */
  maxSymbolsPerClient: number;
  /** Frames a client may send (token bucket per connection). */
  inboundFrames: WsRateOptions;
  /** WebSocket orders per API key, across all the key's connections. */
  ordersPerKey: WsRateOptions;
  /** Failed `auth` frames before the connection is closed with 1008. */
  maxAuthFailures: number;
  /** Malformed frames in a row before the connection is closed with 1008. */
  maxConsecutiveErrors: number;
  /** On shutdown, how long clients get to answer the 1001 close before their sockets are destroyed. */
  closeGraceMs: number;
}

export const DEFAULT_WS_GATEWAY_OPTIONS: WsGatewayOptions = Object.freeze({
  heartbeatIntervalMs: 15_000,
  maxMissedHeartbeats: 2,
  maxPayloadBytes: 64 * 1024,
  maxBufferedBytes: 1024 * 1024,
  maxClients: 10_000,
  maxSymbolsPerClient: 500,
  inboundFrames: Object.freeze({ capacity: 100, refillPerSecond: 50 }),
  ordersPerKey: Object.freeze({ capacity: 20, refillPerSecond: 5 }),
  maxAuthFailures: 5,
  maxConsecutiveErrors: 10,
  closeGraceMs: 1000,
});

const INTEGER_FIELDS = [
  'heartbeatIntervalMs',
  'maxMissedHeartbeats',
  'maxPayloadBytes',
  'maxBufferedBytes',
  'maxClients',
  'maxSymbolsPerClient',
  'maxAuthFailures',
  'maxConsecutiveErrors',
] as const;

/** Defaults overlaid with `overrides`; every count and size must be a positive integer (named when not). */
export function resolveWsGatewayOptions(overrides: Partial<WsGatewayOptions> = {}): WsGatewayOptions {
  const options: WsGatewayOptions = { ...DEFAULT_WS_GATEWAY_OPTIONS, ...overrides };
  const problems: FieldProblem[] = [];
  for (const field of INTEGER_FIELDS) {
    const value = options[field];
    if (!Number.isInteger(value) || value < 1) problems.push({ field, message: 'must be an integer ≥ 1', value });
  }
  if (!Number.isInteger(options.closeGraceMs) || options.closeGraceMs < 0) {
    problems.push({ field: 'closeGraceMs', message: 'must be an integer ≥ 0', value: options.closeGraceMs });
  }
  for (const field of ['inboundFrames', 'ordersPerKey'] as const) {
    for (const part of ['capacity', 'refillPerSecond'] as const) {
      const value = options[field][part];
      if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        problems.push({ field: `${field}.${part}`, message: 'must be a number > 0', value });
      }
    }
  }
  if (problems.length > 0) throw new ValidationError('websocket gateway options', problems);
  return options;
}
