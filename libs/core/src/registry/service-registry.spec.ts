import { InProcessEventBus } from '../bus/in-process-event-bus';
import { RrrError } from '../errors';
import { ManualClock } from '../time';
import type { HealthReport, Service, ServiceContext } from './service';
import { ServiceRegistry, type RegistryLogger, type RegistryTimers } from './service-registry';
import type { ServiceStatusEvent } from './service-status-event';

interface Gate {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function gate(): Gate {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback and I/O turn run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const quietLogger: RegistryLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A service that records its life cycle in a shared log. */
class RecordingService implements Service {
  startCalls = 0;
  stopCalls = 0;
  context?: ServiceContext;
  constructor(
    readonly name: string,
    private readonly log: string[],
    readonly behaviour: {
      start?: () => Promise<void>;
      stop?: () => Promise<void>;
      health?: () => Promise<HealthReport> | HealthReport;
    } = {},
  ) {}
  async start(): Promise<void> {
    this.startCalls++;
    this.log.push(`start ${this.name}`);
    await this.behaviour.start?.();
    this.log.push(`started ${this.name}`);
  }
  async stop(): Promise<void> {
    this.stopCalls++;
    this.log.push(`stop ${this.name}`);
    await this.behaviour.stop?.();
    this.log.push(`stopped ${this.name}`);
  }
  health(): Promise<HealthReport> | HealthReport {
    return this.behaviour.health ? this.behaviour.health() : { status: 'up' };
  }
}

class ManualTimers implements RegistryTimers {
  private next = 1;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  readonly requested: number[] = [];
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { callback, ms });
    this.requested.push(ms);
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  async fireAll(): Promise<void> {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, timer] of due) timer.callback();
    await settle();
  }
}

function diamond(
  log: string[],
  registry: ServiceRegistry,
  overrides: Record<string, RecordingService['behaviour']> = {},
) {
  const services: Record<string, RecordingService> = {};
  const add = (name: string, deps: string[]) => {
    registry.register(
      name,
      (ctx) => {
        services[name] = new RecordingService(name, log, overrides[name]);
        services[name].context = ctx;
        return services[name];
      },
      deps,
    );
  };
  add('trading', ['market-data', 'risk']);
  add('market-data', ['db']);
  add('risk', ['db']);
  add('db', []);
  return services;
}

describe('ServiceRegistry', () => {
  it('computes and follows the start order of a diamond, and stops it in reverse', async () => {
    const log: string[] = [];
    const registry = new ServiceRegistry({ logger: quietLogger });
    const services = diamond(log, registry);
    expect(registry.startOrder()).toEqual(['db', 'market-data', 'risk', 'trading']);
    expect(registry.startLevels()).toEqual([['db'], ['market-data', 'risk'], ['trading']]);

    await registry.startAll();
    expect(log.indexOf('started db')).toBeLessThan(log.indexOf('start market-data'));
    expect(log.indexOf('started db')).toBeLessThan(log.indexOf('start risk'));
    expect(log.indexOf('started market-data')).toBeLessThan(log.indexOf('start trading'));
    expect(log.indexOf('started risk')).toBeLessThan(log.indexOf('start trading'));
    expect(registry.status().map((s) => [s.name, s.state])).toEqual([
      ['trading', 'running'],
      ['market-data', 'running'],
      ['risk', 'running'],
      ['db', 'running'],
    ]);
    expect(services.trading.context?.dependency('risk')).toBe(services.risk);

    log.length = 0;
    await registry.stopAll();
    expect(log.indexOf('stopped trading')).toBeLessThan(log.indexOf('stop market-data'));
    expect(log.indexOf('stopped trading')).toBeLessThan(log.indexOf('stop risk'));
    expect(log.indexOf('stopped market-data')).toBeLessThan(log.indexOf('stop db'));
    expect(log.indexOf('stopped risk')).toBeLessThan(log.indexOf('stop db'));
    expect(registry.status().every((s) => s.state === 'stopped')).toBe(true);
  });

  it('starts independent services concurrently', async () => {
    const log: string[] = [];
    const registry = new ServiceRegistry({ logger: quietLogger });
    const gates = { a: gate(), b: gate() };
    registry.register('a', () => new RecordingService('a', log, { start: () => gates.a.promise }));
    registry.register('b', () => new RecordingService('b', log, { start: () => gates.b.promise }));
    registry.register('c', () => new RecordingService('c', log), ['a', 'b']);
    const starting = registry.startAll();
    await settle();
    // Both started before either finished: b did not wait for a.
    expect(log).toEqual(['start a', 'start b']);
    gates.b.resolve();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'started b']);
    gates.a.resolve();
    await starting;
    expect(log.slice(3)).toEqual(['started a', 'start c', 'started c']);
    await registry.stopAll();
  });

  it('refuses to start with a missing dependency, naming the service and the dependency', async () => {
    const registry = new ServiceRegistry({ logger: quietLogger });
    const factory = jest.fn(() => new RecordingService('x', []));
    registry.register('backtesting', factory, ['trading-engine']);
    await expect(registry.startAll()).rejects.toMatchObject({
      code: 'DEPENDENCY_MISSING',
      message: 'service "backtesting" depends on "trading-engine", which is not registered',
    });
    expect(factory).not.toHaveBeenCalled();
  });

  it('refuses to start with a cycle and names its path', async () => {
    const registry = new ServiceRegistry({ logger: quietLogger });
    const factory = jest.fn(() => new RecordingService('x', []));
    registry.register('a', factory, ['b']).register('b', factory, ['c']).register('c', factory, ['a']);
    await expect(registry.startAll()).rejects.toMatchObject({
      code: 'DEPENDENCY_CYCLE',
      message: 'dependency cycle: a → b → c → a',
    });
    expect(() => registry.startOrder()).toThrow('dependency cycle: a → b → c → a');
    expect(factory).not.toHaveBeenCalled();
  });

  it('rolls back a failed start: stops what had started, dependents first, and names the failed service', async () => {
    const log: string[] = [];
    const registry = new ServiceRegistry({ logger: quietLogger });
    diamond(log, registry, { trading: { start: () => Promise.reject(new Error('exchange unreachable')) } });
    const failure = await registry.startAll().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RrrError);
    expect(failure).toMatchObject({
      code: 'SERVICE_FAILED',
      message: 'service "trading" failed to start: exchange unreachable',
      details: { service: 'trading' },
    });
    expect((failure as Error).cause).toEqual(new Error('exchange unreachable'));
    const stops = log.filter((line) => line.startsWith('stop '));
    expect(stops).toHaveLength(3);
    expect(stops[2]).toBe('stop db');
    expect(stops).not.toContain('stop trading');
    expect(Object.fromEntries(registry.status().map((s) => [s.name, s.state]))).toEqual({
      trading: 'failed',
      'market-data': 'stopped',
      risk: 'stopped',
      db: 'stopped',
    });
    // After a rollback the registry can be started again.
    const retry = registry.startAll();
    await expect(retry).rejects.toMatchObject({ code: 'SERVICE_FAILED' });
  });

  it('stops in reverse dependency order, carries on past a failing stop and reports it', async () => {
    const log: string[] = [];
    const errors: string[] = [];
    const registry = new ServiceRegistry({
      logger: { ...quietLogger, error: (context) => errors.push(`${context.service}: ${context.error}`) },
    });
    diamond(log, registry, { risk: { stop: () => Promise.reject(new Error('flush failed')) } });
    await registry.startAll();
    log.length = 0;
    await expect(registry.stopAll()).rejects.toMatchObject({
      code: 'SERVICE_FAILED',
      message: 'failed to stop "risk" (flush failed)',
    });
    expect(log).toContain('stopped db');
    expect(log.indexOf('stop risk')).toBeLessThan(log.indexOf('stop db'));
    expect(errors).toEqual(['risk: flush failed']);
    expect(registry.status().find((s) => s.name === 'risk')).toMatchObject({
      state: 'failed',
      lastError: 'flush failed',
    });
  });

  it('aggregates health: any down → down, else any degraded → degraded; throwing and slow checks count as down', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const make = (health: () => Promise<HealthReport> | HealthReport) => () =>
      new RecordingService('s', [], { health });
    const registry = new ServiceRegistry({ logger: quietLogger, clock, healthTimeoutMs: 50 });
    registry.register(
      'ok',
      make(() => ({ status: 'up', details: { lagMs: 3 } })),
    );
    registry.register(
      'lagging',
      make(async () => ({ status: 'degraded', details: { lagMs: 900 } })),
    );
    expect((await registry.health()).status).toBe('down');
    await registry.startAll();

    let report = await registry.health();
    expect(report.status).toBe('degraded');
    expect(report.ts).toBe(1_700_000_000_000);
    expect(report.services.ok).toMatchObject({ status: 'up', state: 'running', details: { lagMs: 3 } });
    expect(report.services.lagging).toMatchObject({ status: 'degraded', details: { lagMs: 900 } });
    expect(report.services.ok.latencyMs).toBeGreaterThanOrEqual(0);
    await registry.stopAll();

    const failing = new ServiceRegistry({ logger: quietLogger, healthTimeoutMs: 50 });
    failing.register(
      'ok',
      make(() => ({ status: 'up' })),
    );
    failing.register(
      'throws',
      make(() => {
        throw new Error('db handle closed');
      }),
    );
    failing.register(
      'hangs',
      make(() => new Promise<HealthReport>(() => undefined)),
    );
    await failing.startAll();
    report = await failing.health();
    expect(report.status).toBe('down');
    expect(report.services.ok.status).toBe('up');
    expect(report.services.throws).toMatchObject({ status: 'down', error: 'db handle closed' });
    expect(report.services.hangs).toMatchObject({
      status: 'down',
      error: 'health check of "hangs" timed out after 50 ms',
    });
    expect(report.services.hangs.latencyMs).toBeGreaterThanOrEqual(45);
    await failing.stopAll();

    const allUp = new ServiceRegistry({ logger: quietLogger });
    allUp.register(
      'a',
      make(() => ({ status: 'up' })),
    );
    await allUp.startAll();
    expect((await allUp.health()).status).toBe('up');
    await allUp.stopAll();
  });

  it('restarts a crashed service with capped exponential backoff, then gives up, publishing every status', async () => {
    const timers = new ManualTimers();
    const clock = new ManualClock(5_000);
    const bus = new InProcessEventBus<{ 'service.status': ServiceStatusEvent }>({ clock });
    const events: ServiceStatusEvent[] = [];
    await bus.subscribe('service.status', (event) => void events.push(event));
    const registry = new ServiceRegistry({
      bus,
      clock,
      timers,
      logger: quietLogger,
      restart: { maxRestarts: 3, baseDelayMs: 100, maxDelayMs: 250 },
    });
    const log: string[] = [];
    let feed: RecordingService | undefined;
    let startAttempt = 0;
    registry.register('feed', (ctx) => {
      feed = new RecordingService('feed', log, {
        start: async () => {
          startAttempt++;
          // Attempt 1 is the boot; restart attempts 1 and 2 (start attempts 2, 3) fail, attempt 3 succeeds.
          if (startAttempt === 2 || startAttempt === 3) throw new Error(`still down (${startAttempt})`);
        },
      });
      feed.context = ctx;
      return feed;
    });
    await registry.startAll();
    const ctx = feed?.context as ServiceContext;

    ctx.reportFailure(new Error('socket closed'));
    await settle();
    expect(feed?.stopCalls).toBe(1);
    expect(registry.status()[0]).toMatchObject({ state: 'restarting', restarts: 1, lastError: 'socket closed' });
    await timers.fireAll();
    await timers.fireAll();
    await timers.fireAll();
    expect(timers.requested).toEqual([100, 200, 250]);
    expect(registry.status()[0]).toMatchObject({ state: 'running', restarts: 3, lastError: 'still down (3)' });
    expect((await registry.health()).status).toBe('up');

    ctx.reportFailure(new Error('socket closed again'));
    await settle();
    expect(registry.status()[0]).toMatchObject({ state: 'failed', restarts: 3, lastError: 'socket closed again' });
    expect(timers.pending.size).toBe(0);
    expect(await registry.health()).toMatchObject({
      status: 'down',
      services: { feed: { status: 'down', state: 'failed', error: 'socket closed again' } },
    });

    await registry.stopAll();
    await bus.close();
    expect(events.map((e) => (e.error ? `${e.status}: ${e.error}` : e.status))).toEqual([
      'starting',
      'running',
      'restarting: socket closed',
      'starting',
      'restarting: still down (2)',
      'starting',
      'restarting: still down (3)',
      'starting',
      'running',
      'failed: socket closed again',
    ]);
    expect(events.every((e) => e.service === 'feed' && e.ts === 5_000)).toBe(true);
  });

  it('cancels a pending restart on stopAll without starting the service again', async () => {
    const timers = new ManualTimers();
    const registry = new ServiceRegistry({ timers, logger: quietLogger, restart: { baseDelayMs: 1_000 } });
    const log: string[] = [];
    let ctx: ServiceContext | undefined;
    registry.register('feed', (c) => {
      ctx = c;
      return new RecordingService('feed', log);
    });
    await registry.startAll();
    ctx?.reportFailure(new Error('crash'));
    await settle();
    expect(timers.pending.size).toBe(1);
    await registry.stopAll();
    expect(timers.pending.size).toBe(0);
    expect(log).toEqual(['start feed', 'started feed', 'stop feed', 'stopped feed']);
    expect(registry.status()[0].state).toBe('stopped');
    // A late report from the stopped run changes nothing.
    ctx?.reportFailure(new Error('late'));
    expect(registry.status()[0]).toMatchObject({ state: 'stopped', lastError: 'crash' });
  });

  it('cancels the pending restart of a service that crashed while a sibling was still starting and then failed', async () => {
    const timers = new ManualTimers();
    const registry = new ServiceRegistry({ timers, logger: quietLogger });
    const log: string[] = [];
    const slow = gate();
    let feedContext: ServiceContext | undefined;
    registry.register('feed', (ctx) => {
      feedContext = ctx;
      return new RecordingService('feed', log);
    });
    registry.register('model', () => new RecordingService('model', log, { start: () => slow.promise }));
    const starting = registry.startAll().catch((error: unknown) => error);
    await settle();
    feedContext?.reportFailure(new Error('feed dropped'));
    await settle();
    expect(timers.pending.size).toBe(1);
    slow.reject(new Error('weights missing'));
    expect(await starting).toMatchObject({ message: 'service "model" failed to start: weights missing' });
    expect(timers.pending.size).toBe(0);
    expect(log.filter((line) => line === 'stop feed')).toHaveLength(1);
    expect(registry.status().map((s) => [s.name, s.state])).toEqual([
      ['feed', 'stopped'],
      ['model', 'failed'],
    ]);
  });

  it('publishes start and stop transitions in order on the bus', async () => {
    const bus = new InProcessEventBus<{ 'service.status': ServiceStatusEvent }>();
    const seen: string[] = [];
    await bus.subscribe('service.status', ({ service, status }) => void seen.push(`${service} ${status}`));
    const registry = new ServiceRegistry({ bus, logger: quietLogger });
    registry.register('db', () => new RecordingService('db', []));
    registry.register('api', () => new RecordingService('api', []), ['db']);
    await registry.startAll();
    await registry.stopAll();
    expect(seen).toEqual([
      'db starting',
      'db running',
      'api starting',
      'api running',
      'api stopping',
      'api stopped',
      'db stopping',
      'db stopped',
    ]);
    await bus.close();
  });

  it('only hands a service the dependencies it declared', async () => {
    const registry = new ServiceRegistry({ logger: quietLogger });
    registry.register('db', () => new RecordingService('db', []));
    registry.register('cache', () => new RecordingService('cache', []));
    registry.register(
      'api',
      (ctx) => {
        ctx.dependency('cache');
        return new RecordingService('api', []);
      },
      ['db'],
    );
    await expect(registry.startAll()).rejects.toMatchObject({
      code: 'SERVICE_FAILED',
      message:
        'service "api" failed to start: service "api" asked for "cache", which it does not declare as a dependency',
    });
  });

  it('refuses duplicate names and registration while running', async () => {
    const registry = new ServiceRegistry({ logger: quietLogger });
    registry.register('db', () => new RecordingService('db', []));
    expect(() => registry.register('db', () => new RecordingService('db', []))).toThrow(
      'service "db" is already registered',
    );
    await registry.startAll();
    expect(() => registry.register('late', () => new RecordingService('late', []))).toThrow(
      'cannot register service "late" while the registry is running',
    );
    await expect(registry.startAll()).rejects.toMatchObject({ code: 'CONFLICT' });
    await registry.stopAll();
  });

  it('waits for a start-up in progress before stopping', async () => {
    const log: string[] = [];
    const registry = new ServiceRegistry({ logger: quietLogger });
    const opening = gate();
    registry.register('db', () => new RecordingService('db', log, { start: () => opening.promise }));
    const starting = registry.startAll();
    await settle();
    const stopping = registry.stopAll();
    opening.resolve();
    await starting;
    await stopping;
    expect(log).toEqual(['start db', 'started db', 'stop db', 'stopped db']);
  });
});
