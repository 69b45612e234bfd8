import { InProcessEventBus } from '../bus/in-process-event-bus';
import { ConflictError, NotFoundError } from '../errors';
import type { Service } from './service';
import { ServiceRegistry } from './service-registry';
import type { ServiceStatusEvent } from './service-status-event';

/** A service that records its life cycle; `failStart` makes its next start throw. */
function recordingService(name: string, log: string[]): Service & { failStart?: Error } {
  const service: Service & { failStart?: Error } = {
    async start() {
      log.push(`start ${name}`);
      const failure = service.failStart;
      service.failStart = undefined;
      if (failure) throw failure;
    },
    async stop() {
      log.push(`stop ${name}`);
    },
    health: () => ({ status: 'up' }),
  };
  return service;
}

describe('ServiceRegistry.restart', () => {
  let log: string[];
  let events: ServiceStatusEvent[];
  let registry: ServiceRegistry;
  let cache: ReturnType<typeof recordingService>;
  let bus: InProcessEventBus;

  beforeEach(async () => {
    log = [];
    events = [];
    bus = new InProcessEventBus();
    await bus.subscribe('service.status', (event) => {
      events.push(event as ServiceStatusEvent);
    });
    registry = new ServiceRegistry({ bus });
    cache = recordingService('cache', log);
    registry
      .register('db', () => recordingService('db', log))
      .register('cache', () => cache, ['db'])
      .register('api', () => recordingService('api', log), ['db']);
    await registry.startAll();
    log.length = 0;
    events.length = 0;
  });

  afterEach(async () => {
    await registry.stopAll();
    await bus.close();
  });

  it('stops and starts the same instance, publishing each state, and counts it apart from crash restarts', async () => {
    await registry.restart('cache');
    expect(log).toEqual(['stop cache', 'start cache']);
    await registry.stopAll();
    expect(events.filter((e) => e.service === 'cache').map((e) => e.status)).toEqual([
      'stopping',
      'stopped',
      'starting',
      'running',
      'stopping',
      'stopped',
    ]);
    expect(registry.status().find((s) => s.name === 'cache')).toMatchObject({
      state: 'stopped',
      restarts: 0,
      manualRestarts: 1,
    });
  });

  it('refuses a service that running services depend on, naming them', async () => {
    const refusal = await registry.restart('db').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConflictError);
    expect(refusal).toMatchObject({
      message: 'cannot restart "db": "cache", "api" depend on it and would keep stale references',
      details: { service: 'db', dependents: ['cache', 'api'] },
    });
    expect(log).toEqual([]);
  });

  it('refuses unknown services, a second restart under way, and restarts while the registry is stopped', async () => {
    await expect(registry.restart('nope')).rejects.toBeInstanceOf(NotFoundError);
    const first = registry.restart('cache');
    await expect(registry.restart('cache')).rejects.toThrow('cannot restart "cache" while it is stopping');
    await first;
    await registry.stopAll();
    await expect(registry.restart('cache')).rejects.toThrow('cannot restart "cache" while the registry is idle');
  });

  it('leaves the service failed with the error when its start fails, and can restart it from there', async () => {
    cache.failStart = new Error('port in use');
    await expect(registry.restart('cache')).rejects.toThrow('port in use');
    expect(registry.status().find((s) => s.name === 'cache')).toMatchObject({
      state: 'failed',
      lastError: 'port in use',
    });
    await registry.restart('cache');
    expect(registry.status().find((s) => s.name === 'cache')).toMatchObject({ state: 'running', manualRestarts: 2 });
  });
});
