import {
  childLogger,
  createLogger,
  createMetricsRegistry,
  ManualClock,
  ServiceRegistry,
  type HealthStatus,
} from '@rrr/core';
import { Writable } from 'node:stream';
import { createMonitoringMetrics } from '../metrics/monitoring-metrics';
import { ManualTimers } from '../testing/manual-timers';
import { HealthMonitor } from './health-monitor';
import type { HealthTransition } from './health-snapshot';

async function startedRegistry(statuses: Record<string, HealthStatus>): Promise<ServiceRegistry> {
  const registry = new ServiceRegistry();
  for (const name of Object.keys(statuses)) {
    registry.register(name, () => ({
      start: async () => undefined,
      stop: async () => undefined,
      health: () => {
        if (statuses[name] === 'down') throw new Error(`${name} lost its connection`);
        return { status: statuses[name] };
      },
    }));
  }
  await registry.startAll();
  return registry;
}

describe('HealthMonitor', () => {
  it('polls the registry on the injected timers, records transitions and keeps the health gauge in step', async () => {
    const statuses: Record<string, HealthStatus> = { 'data-pipeline': 'up', 'trading-engine': 'up' };
    const registry = await startedRegistry(statuses);
    const timers = new ManualTimers(new ManualClock(1_000));
    const metricsRegistry = createMetricsRegistry();
    const monitor = new HealthMonitor({
      source: () => registry.health(),
      clock: timers.clock,
      timers,
      intervalMs: 10_000,
      metrics: createMonitoringMetrics(metricsRegistry),
    });
    const heard: HealthTransition[] = [];
    monitor.onTransitions((ts) => void heard.push(...ts));

    await monitor.start();
    expect(monitor.status()).toBe('up');
    expect(heard.map((t) => `${t.service ?? 'platform'}:${t.from}>${t.to}`)).toEqual([
      'platform:unknown>up',
      'data-pipeline:unknown>up',
      'trading-engine:unknown>up',
    ]);

    statuses['trading-engine'] = 'down';
    await timers.advance(10_000);
    expect(monitor.status('trading-engine')).toBe('down');
    expect(heard.slice(3)).toEqual([
      { ts: 11_000, service: null, from: 'up', to: 'down' },
      { ts: 11_000, service: 'trading-engine', from: 'up', to: 'down', error: 'trading-engine lost its connection' },
    ]);
    expect(await metricsRegistry.metrics()).toContain('rrr_service_health{service="trading-engine"} 0');

    statuses['trading-engine'] = 'degraded';
    await timers.advance(10_000);
    expect(await metricsRegistry.metrics()).toContain('rrr_service_health{service="trading-engine"} 0.5');
    statuses['trading-engine'] = 'up';
    await timers.advance(20_000);
    expect(monitor.transitions('trading-engine').map((t) => t.to)).toEqual(['up', 'down', 'degraded', 'up']);
    expect(monitor.history().map((s) => s.ts)).toEqual([1_000, 11_000, 21_000, 31_000, 41_000]);
    expect(monitor.history(21_000)).toHaveLength(3);
    // Of the 5 snapshots in the last 40 s, trading-engine was up in 3 (1,000 … 41,000 inclusive).
    expect(monitor.availability(40_000, 'trading-engine')).toBe(3 / 5);
    expect(monitor.availability(40_000, 'data-pipeline')).toBe(1);
    await monitor.stop();
    expect(timers.size).toBe(0);
    await registry.stopAll();
  });

  it('logs each transition with the service it is about as `subject`, keeping the emitter in `service`', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
        done();
      },
    });
    const logger = childLogger(createLogger({ level: 'info', destination }), 'monitoring');
    const statuses: Record<string, HealthStatus> = { 'trading-engine': 'up' };
    const registry = await startedRegistry(statuses);
    const timers = new ManualTimers(new ManualClock(1_000));
    const monitor = new HealthMonitor({
      source: () => registry.health(),
      clock: timers.clock,
      timers,
      intervalMs: 10_000,
      logger,
    });
    await monitor.start();
    statuses['trading-engine'] = 'down';
    await timers.advance(10_000);
    await monitor.stop();

    // Raw lines: a JSON parser would hide a duplicated key by keeping its last value.
    const engineDown = lines.find((line) => line.includes('health: trading-engine up → down'));
    expect(engineDown?.match(/"service":/g)).toHaveLength(1);
    expect(JSON.parse(engineDown ?? '{}')).toMatchObject({
      level: 'warn',
      service: 'monitoring',
      subject: 'trading-engine',
      from: 'up',
      to: 'down',
      error: 'trading-engine lost its connection',
    });
    expect(lines.map((line) => (JSON.parse(line) as { subject?: string }).subject)).toEqual([
      'platform',
      'trading-engine',
      'platform',
      'trading-engine',
    ]);
  });

  it('counts a failing or hanging source as the platform down without inventing service transitions', async () => {
    const timers = new ManualTimers();
    let mode: 'ok' | 'throw' | 'hang' = 'ok';
    const monitor = new HealthMonitor({
      source: () => {
        if (mode === 'throw') throw new Error('registry unavailable');
        if (mode === 'hang') return new Promise(() => undefined);
        return { status: 'up', services: { api: { status: 'up' } } };
      },
      clock: timers.clock,
      timers,
      timeoutMs: 50,
    });
    await monitor.poll();
    mode = 'throw';
    const failed = await monitor.poll();
    expect(failed).toEqual({ ts: 0, status: 'down', services: {}, error: 'registry unavailable' });
    mode = 'hang';
    const hanging = monitor.poll();
    await timers.settle();
    expect(timers.dueTimes()).toEqual([50]);
    await timers.advance(50);
    expect((await hanging).error).toBe('health source timed out after 50 ms');
    mode = 'ok';
    await monitor.poll();
    expect(monitor.transitions().map((t) => `${t.service ?? 'platform'}:${t.from}>${t.to}`)).toEqual([
      'platform:unknown>up',
      'api:unknown>up',
      'platform:up>down',
      'platform:down>up',
    ]);
    expect(monitor.status('api')).toBe('up');
  });

  it('keeps only historySize snapshots and survives a throwing listener', async () => {
    const timers = new ManualTimers();
    let status: HealthStatus = 'up';
    const monitor = new HealthMonitor({
      source: () => ({ status, services: {} }),
      clock: timers.clock,
      timers,
      intervalMs: 1_000,
      historySize: 3,
    });
    monitor.onTransitions(() => {
      throw new Error('listener bug');
    });
    const heard: string[] = [];
    const batches: number[] = [];
    const remove = monitor.onTransitions((ts, snapshot) => {
      batches.push(snapshot.ts);
      heard.push(...ts.map((t) => t.to));
    });
    await monitor.start();
    status = 'down';
    await timers.advance(4_000);
    remove();
    status = 'up';
    await timers.advance(1_000);
    expect(monitor.history().map((s) => s.ts)).toEqual([3_000, 4_000, 5_000]);
    expect(heard).toEqual(['up', 'down']);
    expect(batches).toEqual([0, 1_000]);
    expect(monitor.status()).toBe('up');
    await monitor.stop();
  });
});
