import { EventEmitter } from 'node:events';
import { deferred } from '../async/testing/deferred';
import { installShutdownHandlers } from './install-shutdown-handlers';
import { ServiceRegistry, type RegistryLogger } from './service-registry';

const quiet: Pick<RegistryLogger, 'info' | 'error'> = { info: () => undefined, error: () => undefined };

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('installShutdownHandlers', () => {
  let remove: (() => void) | undefined;
  let signals: EventEmitter;
  beforeEach(() => {
    signals = new EventEmitter();
  });
  afterEach(() => {
    remove?.();
    remove = undefined;
  });

  it('stops the registry on the first signal and exits 0 once it is done', async () => {
    const stopping = deferred();
    const registry = { stopAll: jest.fn(() => stopping.promise) };
    const onExit = jest.fn();
    remove = installShutdownHandlers(registry, { signalSource: signals, onExit, logger: quiet, timeoutMs: 5_000 });
    signals.emit('SIGTERM', 'SIGTERM');
    expect(registry.stopAll).toHaveBeenCalledTimes(1);
    await settle();
    expect(onExit).not.toHaveBeenCalled();
    stopping.resolve();
    await settle();
    expect(onExit).toHaveBeenCalledTimes(1);
    expect(onExit).toHaveBeenCalledWith(0);
  });

  it('stops a real registry, dependents first, before exiting 0', async () => {
    const log: string[] = [];
    const registry = new ServiceRegistry({ logger: { ...quiet, warn: () => undefined } });
    const service = (name: string) => () => ({
      start: async () => void log.push(`start ${name}`),
      stop: async () => void log.push(`stop ${name}`),
      health: () => ({ status: 'up' as const }),
    });
    registry.register('db', service('db')).register('oms', service('oms'), ['db']);
    await registry.startAll();
    const exited = new Promise<number>((resolve) => {
      remove = installShutdownHandlers(registry, { signalSource: signals, onExit: resolve, logger: quiet });
    });
    signals.emit('SIGINT', 'SIGINT');
    expect(await exited).toBe(0);
    expect(log).toEqual(['start db', 'start oms', 'stop oms', 'stop db']);
    expect(registry.status().map((s) => s.state)).toEqual(['stopped', 'stopped']);
  });

  it('exits 1 when stopping fails', async () => {
    const registry = { stopAll: jest.fn(() => Promise.reject(new Error('risk did not flush'))) };
    const onExit = jest.fn();
    const errors: string[] = [];
    remove = installShutdownHandlers(registry, {
      signalSource: signals,
      onExit,
      logger: { ...quiet, error: (context, message) => errors.push(`${message}: ${String(context.error)}`) },
    });
    signals.emit('SIGINT', 'SIGINT');
    await settle();
    expect(onExit).toHaveBeenCalledWith(1);
    expect(errors).toEqual(['shutdown failed: risk did not flush']);
  });

  it('exits 1 when the graceful stop outlasts the timeout', async () => {
    const registry = { stopAll: jest.fn(() => new Promise<void>(() => undefined)) };
    const onExit = jest.fn();
    remove = installShutdownHandlers(registry, { signalSource: signals, onExit, logger: quiet, timeoutMs: 20 });
    signals.emit('SIGTERM', 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(onExit).toHaveBeenCalledTimes(1);
    expect(onExit).toHaveBeenCalledWith(1);
  });

  it('exits at once on a second signal, and only once', async () => {
    const stopping = deferred();
    const registry = { stopAll: jest.fn(() => stopping.promise) };
    const onExit = jest.fn();
    remove = installShutdownHandlers(registry, { signalSource: signals, onExit, logger: quiet });
    signals.emit('SIGTERM', 'SIGTERM');
    signals.emit('SIGINT', 'SIGINT');
    expect(onExit).toHaveBeenCalledWith(1);
    stopping.resolve();
    await settle();
    expect(onExit).toHaveBeenCalledTimes(1);
    expect(registry.stopAll).toHaveBeenCalledTimes(1);
  });

  it('removes its handlers', () => {
    const before = signals.listenerCount('SIGTERM');
    const registry = { stopAll: jest.fn(() => Promise.resolve()) };
    const dispose = installShutdownHandlers(registry, {
      signalSource: signals,
      onExit: jest.fn(),
      logger: quiet,
      signals: ['SIGTERM'],
    });
    expect(signals.listenerCount('SIGTERM')).toBe(before + 1);
    dispose();
    expect(signals.listenerCount('SIGTERM')).toBe(before);
    signals.emit('SIGTERM', 'SIGTERM');
    expect(registry.stopAll).not.toHaveBeenCalled();
  });
});
