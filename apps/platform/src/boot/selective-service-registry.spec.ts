import { ConfigError, createLogger, loadConfig, type Service } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createPlatform } from './create-platform';
import { SelectiveServiceRegistry } from './selective-service-registry';

const service = (): Service => ({
  start: async () => undefined,
  stop: async () => undefined,
  health: () => ({ status: 'up' }),
});

function registryOf(services: string[]): SelectiveServiceRegistry {
  const registry = new SelectiveServiceRegistry(services, {});
  registry.register('database', service);
  registry.register('event-bus', service);
  registry.register('risk-management', service, ['database', 'event-bus']);
  registry.register('trading-engine', service, ['database', 'event-bus', 'risk-management']);
  registry.register('data-pipeline', service, ['database', 'event-bus']);
  return registry;
}

function selectionError(services: string[]): ConfigError {
  try {
    registryOf(services).checkSelection(services);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('SelectiveServiceRegistry', () => {
  it('keeps the selected services plus the database and the event bus, in dependency order', () => {
    const registry = registryOf(['trading-engine', 'risk-management']);
    registry.checkSelection(['trading-engine', 'risk-management']);
    expect(registry.startOrder()).toEqual(['database', 'event-bus', 'risk-management', 'trading-engine']);
    expect(registry.runs('data-pipeline')).toBe(false);
    expect(registry.present(['data-pipeline', 'trading-engine'])).toEqual(['trading-engine']);
  });

  it('runs everything for `all`', () => {
    const registry = registryOf(['all']);
    registry.checkSelection(['all']);
    expect(registry.startOrder()).toEqual([
      'database',
      'event-bus',
      'risk-management',
      'data-pipeline',
      'trading-engine',
    ]);
  });

  it('names an unknown service and a left-out in-process dependency under `services`', () => {
    const error = selectionError(['trading-engine', 'data-pipline']);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems).toEqual([
      {
        field: 'services[1]',
        message:
          'is not a platform service (one of all, database, event-bus, risk-management, trading-engine, data-pipeline)',
        value: 'data-pipline',
      },
      {
        field: 'services',
        message:
          'trading-engine needs risk-management in the same process: add risk-management or remove trading-engine',
        value: ['trading-engine', 'data-pipline'],
      },
    ]);
  });

  it('is what createPlatform registers with: a bad selection stops it before anything starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrr-selection-'));
    try {
      const config = loadConfig({ env: { RRR_SERVICES: 'trading-engine' }, configDir: dir });
      const logger = createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, done) => done() }) });
      expect(() => createPlatform(config, logger)).toThrow(/trading-engine needs risk-management in the same process/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
