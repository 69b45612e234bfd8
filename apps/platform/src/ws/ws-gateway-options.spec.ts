import { isRrrError } from '@rrr/core';
import { resolveApiSecurityOptions } from '../security/api-security-options';
import { DEFAULT_WS_GATEWAY_OPTIONS, resolveWsGatewayOptions } from './ws-gateway-options';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (isRrrError(error)) return (error.details as { problems: { field: string }[] }).problems.map((p) => p.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('gateway and security options', () => {
  it('overlays the defaults', () => {
    expect(resolveWsGatewayOptions({ heartbeatIntervalMs: 500 })).toEqual({
      ...DEFAULT_WS_GATEWAY_OPTIONS,
      heartbeatIntervalMs: 500,
    });
    expect(resolveApiSecurityOptions({ rateLimit: { perIpMax: 10 } })).toEqual({
      requireAuthForReads: false,
      corsOrigins: [],
      rateLimit: { perKeyMax: 1200, perIpMax: 10, windowMs: 60_000 },
    });
    expect(resolveApiSecurityOptions({ rateLimit: false }).rateLimit).toBe(false);
  });

  it('names every invalid setting', () => {
    expect(
      problemsOf(() =>
        resolveWsGatewayOptions({
          maxBufferedBytes: 0,
          closeGraceMs: -1,
          ordersPerKey: { capacity: 1, refillPerSecond: 0 },
        }),
      ),
    ).toEqual(['maxBufferedBytes', 'closeGraceMs', 'ordersPerKey.refillPerSecond']);
    expect(problemsOf(() => resolveApiSecurityOptions({ rateLimit: { windowMs: 1.5 } }))).toEqual([
      'rateLimit.windowMs',
    ]);
  });
});
