import { diffHealth } from './diff-health';
import type { HealthSnapshot } from './health-snapshot';

const up = { status: 'up' as const };

describe('diffHealth', () => {
  it('reports the first observation of the platform and each service as a change from unknown', () => {
    const next: HealthSnapshot = { ts: 5, status: 'up', services: { b: up, a: up } };
    expect(diffHealth('unknown', {}, next)).toEqual([
      { ts: 5, service: null, from: 'unknown', to: 'up' },
      { ts: 5, service: 'a', from: 'unknown', to: 'up' },
      { ts: 5, service: 'b', from: 'unknown', to: 'up' },
    ]);
  });

  it('reports changed, vanished services with the error behind a change, and nothing for unchanged ones', () => {
    const next: HealthSnapshot = {
      ts: 9,
      status: 'down',
      services: { a: up, b: { status: 'down', error: 'connection refused' } },
    };
    expect(diffHealth('up', { a: up, b: up, c: up }, next)).toEqual([
      { ts: 9, service: null, from: 'up', to: 'down' },
      { ts: 9, service: 'b', from: 'up', to: 'down', error: 'connection refused' },
      { ts: 9, service: 'c', from: 'up', to: 'unknown' },
    ]);
  });

  it('compares only the overall status when the poll itself failed', () => {
    const failed: HealthSnapshot = { ts: 3, status: 'down', services: {}, error: 'health source timed out' };
    expect(diffHealth('up', { a: up }, failed)).toEqual([
      { ts: 3, service: null, from: 'up', to: 'down', error: 'health source timed out' },
    ]);
    expect(diffHealth('down', { a: up }, failed)).toEqual([]);
  });
});
