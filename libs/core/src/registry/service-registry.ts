import { performance } from 'node:perf_hooks';
import { ConflictError, NotFoundError, RrrError, TimeoutError, ValidationError, errorMessage } from '../errors';
import { systemClock, type Clock } from '../time';
import { dependencyLevels } from './dependency-graph';
import { resolveRestartPolicy, restartDelayMs, type RestartPolicy } from './restart-policy';
import type { HealthReport, HealthStatus, Service, ServiceContext, ServiceFactory } from './service';
import type { ServiceState, ServiceStatus, ServiceStatusEvent, ServiceStatusPublisher } from './service-status-event';

/** The logging the registry does; a pino logger fits as is. */
export interface RegistryLogger {
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
  error(context: Record<string, unknown>, message: string): void;
}

/** Timer functions for restart backoff, injectable so tests can fire delays by hand. */
export interface RegistryTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ServiceRegistryOptions {
  /** Receives a `service.status` event for every state change. */
  bus?: ServiceStatusPublisher;
  logger?: RegistryLogger;
  restart?: Partial<RestartPolicy>;
  /** Timestamps of status events and health reports. */
  clock?: Clock;
  timers?: RegistryTimers;
  /** A health() that takes longer counts as down. Default 2,000 ms. */
  healthTimeoutMs?: number;
}

export interface ServiceHealth {
  status: HealthStatus;
  state: ServiceState;
  latencyMs: number;
  details?: Record<string, unknown>;
  error?: string;
}

export interface RegistryHealth {
  /** `down` if any service is down, else `degraded` if any is degraded, else `up`. */
  status: HealthStatus;
  ts: number;
  services: Record<string, ServiceHealth>;
}

export interface ServiceStatusEntry {
  name: string;
  state: ServiceState;
  dependencies: string[];
  /** Restart attempts since the last startAll(). */
  restarts: number;
  /** Restarts asked for with restart() since the last startAll() (not counted in `restarts`' budget). */
  manualRestarts: number;
  lastError?: string;
}

interface Entry {
  name: string;
  factory: ServiceFactory;
  deps: string[];
  state: ServiceState;
  instance?: Service;
  restarts: number;
  manualRestarts: number;
  lastError?: string;
  /** Restart in progress (backoff sleep or restart attempt). */
  recovery?: Promise<void>;
  cancelBackoff?: () => void;
}

const silentLogger: RegistryLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: (context, message) => console.error(message, context),
};

const globalTimers: RegistryTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const HEALTH_STATUSES: readonly string[] = ['up', 'degraded', 'down'];

/**
 * Builds, starts, watches and stops the platform's services in the order their declared dependencies dictate.
 *
 * - `startAll()` validates the graph (missing dependency, cycle) before building anything, then starts every service
 *   as soon as all of its dependencies are running, so independent services start concurrently. If one fails, the
 *   services already started are stopped again (dependents first) and the error names the failed service.
 * - `stopAll()` stops each service once every service that depends on it has stopped; it carries on past errors and
 *   reports them all at the end.
 * - A running service that calls `context.reportFailure()` is stopped and restarted (same instance, so dependents'
 *   references stay valid) after an exponential backoff, up to `maxRestarts` attempts; then it is marked failed.
 *   Dependents are not restarted with it.
 */
export class ServiceRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly bus: ServiceStatusPublisher | undefined;
  private readonly logger: RegistryLogger;
  private readonly restartPolicy: RestartPolicy;
  private readonly clock: Clock;
  private readonly timers: RegistryTimers;
  private readonly healthTimeoutMs: number;
  private phase: 'idle' | 'starting' | 'running' | 'stopping' = 'idle';
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  /** Incremented by each startAll(), so a context handed out by an earlier run can no longer report failures. */
  private run = 0;
  private statusEvents: Promise<void> = Promise.resolve();

  constructor(options: ServiceRegistryOptions = {}) {
    const healthTimeoutMs = options.healthTimeoutMs ?? 2_000;
    if (!Number.isFinite(healthTimeoutMs) || healthTimeoutMs <= 0) {
      throw new ValidationError('service registry options', [
        { field: 'healthTimeoutMs', message: 'must be a number of milliseconds > 0', value: healthTimeoutMs },
      ]);
    }
    this.bus = options.bus;
    this.logger = options.logger ?? silentLogger;
    this.restartPolicy = resolveRestartPolicy(options.restart);
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? globalTimers;
    this.healthTimeoutMs = healthTimeoutMs;
  }

  register<S extends Service>(name: string, factory: ServiceFactory<S>, deps: string[] = []): this {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new ValidationError('service registration', [
        { field: 'name', message: 'must be a non-empty string', value: name },
      ]);
    }
    if (this.entries.has(name)) throw new ConflictError(`service "${name}" is already registered`, { service: name });
    if (this.phase !== 'idle') {
      throw new ConflictError(`cannot register service "${name}" while the registry is ${this.phase}`, {
        service: name,
      });
    }
    this.entries.set(name, {
      name,
      factory,
      deps: [...new Set(deps)],
      state: 'registered',
      restarts: 0,
      manualRestarts: 0,
    });
    return this;
  }

  /** Services by start level: every service of a level depends only on services of earlier levels. */
  startLevels(): string[][] {
    return dependencyLevels([...this.entries.values()]);
  }

  /** The order services come up in when started one by one: the levels, flattened. */
  startOrder(): string[] {
    return this.startLevels().flat();
  }

  startAll(): Promise<void> {
    if (this.phase !== 'idle') {
      return Promise.reject(new ConflictError(`startAll() called while the registry is ${this.phase}`));
    }
    try {
      this.startLevels();
    } catch (error) {
      return Promise.reject(error);
    }
    this.phase = 'starting';
    this.run++;
    this.starting = this.startEverything();
    return this.starting;
  }

  private async startEverything(): Promise<void> {
    const started: Entry[] = [];
    const failures: Array<{ entry: Entry; error: unknown }> = [];
    const launched = new Map<string, Promise<boolean>>();
    for (const entry of this.entries.values()) {
      entry.restarts = 0;
      entry.manualRestarts = 0;
    }

    const launch = (entry: Entry): Promise<boolean> => {
      let promise = launched.get(entry.name);
      if (!promise) {
        promise = (async () => {
          const depsUp = await Promise.all(entry.deps.map((d) => launch(this.entry(d))));
          if (!depsUp.every(Boolean) || failures.length > 0) return false;
          try {
            await this.startEntry(entry);
            started.push(entry);
            return true;
          } catch (error) {
            failures.push({ entry, error });
            return false;
          }
        })();
        launched.set(entry.name, promise);
      }
      return promise;
    };

    await Promise.all([...this.entries.values()].map(launch));
    if (failures.length === 0) {
      this.phase = 'running';
      await this.statusEvents;
      return;
    }

    const [{ entry: failed, error }] = failures;
    this.logger.error(
      { service: failed.name, error: errorMessage(error), rollingBack: started.map((e) => e.name) },
      'service failed to start; stopping the services already started',
    );
    this.phase = 'stopping';
    const stopErrors = await this.stopEntries(await this.settleRecoveries(started));
    this.phase = 'idle';
    await this.statusEvents;
    throw new RrrError('SERVICE_FAILED', `service "${failed.name}" failed to start: ${errorMessage(error)}`, {
      cause: error,
      details: {
        service: failed.name,
        otherFailures: failures.slice(1).map((f) => ({ service: f.entry.name, error: errorMessage(f.error) })),
        rolledBack: started.map((e) => e.name).reverse(),
        stopFailures: stopErrors.map((f) => ({ service: f.service, error: errorMessage(f.error) })),
      },
    });
  }

  private async startEntry(entry: Entry): Promise<void> {
    this.setState(entry, 'starting');
    try {
      entry.instance = await entry.factory(this.contextFor(entry, this.run));
      await entry.instance.start();
    } catch (error) {
      entry.lastError = errorMessage(error);
      this.setState(entry, 'failed', entry.lastError);
      throw error;
    }
    this.setState(entry, 'running');
  }

  private contextFor(entry: Entry, run: number): ServiceContext {
    return {
      name: entry.name,
      dependency: <T extends Service = Service>(name: string): T => {
        if (!entry.deps.includes(name)) {
          throw new RrrError(
            'DEPENDENCY_MISSING',
            `service "${entry.name}" asked for "${name}", which it does not declare as a dependency`,
            { details: { service: entry.name, dependency: name } },
          );
        }
        const instance = this.entry(name).instance;
        if (!instance) {
          throw new RrrError('SERVICE_UNAVAILABLE', `service "${name}" (needed by "${entry.name}") is not built`);
        }
        return instance as T;
      },
      reportFailure: (error: unknown) => {
        if (run !== this.run) return;
        this.onFailure(entry, error);
      },
    };
  }

  private onFailure(entry: Entry, error: unknown): void {
    if (entry.state !== 'running' || this.phase === 'stopping') {
      this.logger.warn(
        { service: entry.name, state: entry.state, error: errorMessage(error) },
        'failure report ignored',
      );
      return;
    }
    entry.lastError = errorMessage(error);
    this.logger.error({ service: entry.name, error: entry.lastError, restarts: entry.restarts }, 'service crashed');
    entry.recovery = this.recover(entry).finally(() => {
      entry.recovery = undefined;
    });
  }

  private async recover(entry: Entry): Promise<void> {
    const instance = entry.instance as Service;
    // Release whatever the crashed instance still holds before it is started again.
    await instance.stop().catch((error: unknown) => {
      this.logger.warn({ service: entry.name, error: errorMessage(error) }, 'stop of crashed service failed');
    });
    for (;;) {
      if (entry.restarts >= this.restartPolicy.maxRestarts) {
        this.setState(entry, 'failed', entry.lastError);
        this.logger.error({ service: entry.name, restarts: entry.restarts, error: entry.lastError }, 'service gave up');
        return;
      }
      entry.restarts++;
      const delay = restartDelayMs(this.restartPolicy, entry.restarts);
      this.setState(entry, 'restarting', entry.lastError);
      this.logger.info({ service: entry.name, attempt: entry.restarts, delayMs: delay }, 'restarting service');
      if (!(await this.backoff(entry, delay))) return;
      this.setState(entry, 'starting');
      try {
        await instance.start();
        this.setState(entry, 'running');
        return;
      } catch (error) {
        entry.lastError = errorMessage(error);
        this.logger.error({ service: entry.name, attempt: entry.restarts, error: entry.lastError }, 'restart failed');
        await instance.stop().catch(() => undefined);
      }
    }
  }

  /** Resolves true after `ms`, or false as soon as stopAll() cancels the pending restart. */
  private backoff(entry: Entry, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const handle = this.timers.setTimeout(() => {
        entry.cancelBackoff = undefined;
        resolve(true);
      }, ms);
      entry.cancelBackoff = () => {
        this.timers.clearTimeout(handle);
        entry.cancelBackoff = undefined;
        resolve(false);
      };
    });
  }

  /**
   * Stops a running (or failed) service and starts the same instance again, as a crash restart does but at once and
   * on request. Refused with a ConflictError while the registry is not running, while the service is changing state,
   * and while running services depend on it: they hold what it handed out (a database handle, bus subscriptions),
   * which its restart would leave stale. Rejects with the error of a failed stop or start (the service is then
   * failed). Counted in `manualRestarts`, not in the crash-restart budget.
   */
  async restart(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw new NotFoundError('service', name);
    if (this.phase !== 'running') {
      throw new ConflictError(`cannot restart "${name}" while the registry is ${this.phase}`, { service: name });
    }
    if (entry.recovery || (entry.state !== 'running' && entry.state !== 'failed') || !entry.instance) {
      throw new ConflictError(`cannot restart "${name}" while it is ${entry.state}`, {
        service: name,
        state: entry.state,
      });
    }
    const dependents = [...this.entries.values()].filter((e) => e.deps.includes(name) && e.state === 'running');
    if (dependents.length > 0) {
      const names = dependents.map((e) => e.name);
      throw new ConflictError(
        `cannot restart "${name}": ${names.map((n) => `"${n}"`).join(', ')} depend${names.length === 1 ? 's' : ''} on it and would keep stale references`,
        { service: name, dependents: names },
      );
    }
    const instance = entry.instance;
    entry.manualRestarts++;
    this.logger.info({ service: name, manualRestarts: entry.manualRestarts }, 'restarting service on request');
    const attempt = (async () => {
      try {
        this.setState(entry, 'stopping');
        await instance.stop();
        this.setState(entry, 'stopped');
        this.setState(entry, 'starting');
        await instance.start();
        this.setState(entry, 'running');
      } catch (error) {
        entry.lastError = errorMessage(error);
        this.setState(entry, 'failed', entry.lastError);
        throw error;
      }
    })();
    // stopAll() waits for a restart under way, as for a crash recovery.
    entry.recovery = attempt
      .catch(() => undefined)
      .finally(() => {
        entry.recovery = undefined;
      });
    return attempt;
  }

  /** Stops every started service, dependents before their dependencies. Rejects, after trying all, if any stop failed. */
  stopAll(): Promise<void> {
    this.stopping ??= this.stopEverything().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async stopEverything(): Promise<void> {
    // A signal during boot: let start-up settle (or roll itself back) first.
    if (this.phase === 'starting') await this.starting?.catch(() => undefined);
    this.phase = 'stopping';
    const failures = await this.stopEntries(await this.settleRecoveries([...this.entries.values()]));
    this.phase = 'idle';
    await this.statusEvents;
    if (failures.length > 0) {
      throw new RrrError(
        'SERVICE_FAILED',
        `failed to stop ${failures.map((f) => `"${f.service}" (${errorMessage(f.error)})`).join(', ')}`,
        { details: { failures: failures.map((f) => ({ service: f.service, error: errorMessage(f.error) })) } },
      );
    }
  }

  /**
   * Cancels pending restarts of the given services and waits for restart attempts under way; returns those that are
   * running afterwards. A service whose restart was cancelled is marked stopped: its crashed instance was stopped
   * before the backoff began.
   */
  private async settleRecoveries(entries: Entry[]): Promise<Entry[]> {
    for (const entry of entries) entry.cancelBackoff?.();
    await Promise.all(entries.map((e) => e.recovery));
    for (const entry of entries) if (entry.state === 'restarting') this.setState(entry, 'stopped');
    return entries.filter((e) => e.state === 'running');
  }

  /** Stops each given service once all given services that depend on it have stopped; independent ones concurrently. */
  private async stopEntries(toStop: Entry[]): Promise<Array<{ service: string; error: unknown }>> {
    const names = new Set(toStop.map((e) => e.name));
    const failures: Array<{ service: string; error: unknown }> = [];
    const stopped = new Map<string, Promise<void>>();
    const stop = (entry: Entry): Promise<void> => {
      let promise = stopped.get(entry.name);
      if (!promise) {
        promise = (async () => {
          const dependents = toStop.filter((e) => e.deps.includes(entry.name) && names.has(e.name));
          await Promise.all(dependents.map(stop));
          this.setState(entry, 'stopping');
          try {
            await (entry.instance as Service).stop();
            this.setState(entry, 'stopped');
          } catch (error) {
            entry.lastError = errorMessage(error);
            failures.push({ service: entry.name, error });
            this.logger.error({ service: entry.name, error: entry.lastError }, 'service failed to stop');
            this.setState(entry, 'failed', entry.lastError);
          }
        })();
        stopped.set(entry.name, promise);
      }
      return promise;
    };
    await Promise.all(toStop.map(stop));
    return failures;
  }

  /** Asks every running service for its health, concurrently; a throwing or slow health() counts as down. */
  async health(): Promise<RegistryHealth> {
    const reports = await Promise.all(
      [...this.entries.values()].map(
        async (entry): Promise<[string, ServiceHealth]> => [entry.name, await this.check(entry)],
      ),
    );
    const statuses = reports.map(([, r]) => r.status);
    const status: HealthStatus = statuses.includes('down') ? 'down' : statuses.includes('degraded') ? 'degraded' : 'up';
    return { status, ts: this.clock.now(), services: Object.fromEntries(reports) };
  }

  private async check(entry: Entry): Promise<ServiceHealth> {
    const { state } = entry;
    if (state !== 'running' || !entry.instance) {
      return { status: 'down', state, latencyMs: 0, ...(entry.lastError ? { error: entry.lastError } : {}) };
    }
    const instance = entry.instance;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const report = await Promise.race([
        Promise.resolve().then(() => instance.health()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new TimeoutError(`health check of "${entry.name}"`, this.healthTimeoutMs)),
            this.healthTimeoutMs,
          );
        }),
      ]);
      const latencyMs = performance.now() - started;
      if (!report || !HEALTH_STATUSES.includes((report as HealthReport).status)) {
        return { status: 'down', state, latencyMs, error: `invalid health report: ${JSON.stringify(report)}` };
      }
      return { status: report.status, state, latencyMs, ...(report.details ? { details: report.details } : {}) };
    } catch (error) {
      return { status: 'down', state, latencyMs: performance.now() - started, error: errorMessage(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every registered service with its state, restart count and last error, in registration order. */
  status(): ServiceStatusEntry[] {
    return [...this.entries.values()].map((e) => ({
      name: e.name,
      state: e.state,
      dependencies: [...e.deps],
      restarts: e.restarts,
      manualRestarts: e.manualRestarts,
      ...(e.lastError === undefined ? {} : { lastError: e.lastError }),
    }));
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new RrrError('DEPENDENCY_MISSING', `service "${name}" is not registered`);
    return entry;
  }

  private setState(entry: Entry, status: ServiceStatus, error?: string): void {
    entry.state = status;
    this.logger.info({ service: entry.name, status, ...(error ? { error } : {}) }, `service ${status}`);
    const bus = this.bus;
    if (!bus) return;
    const event: ServiceStatusEvent = {
      service: entry.name,
      status,
      ts: this.clock.now(),
      ...(error ? { error } : {}),
    };
    // Chained so events leave in the order the changes happened, without making a state change wait on the bus.
    this.statusEvents = this.statusEvents
      .then(() => bus.publish('service.status', event))
      .catch((publishError: unknown) => {
        this.logger.warn(
          { service: entry.name, status, error: errorMessage(publishError) },
          'status event not published',
        );
      });
  }
}
