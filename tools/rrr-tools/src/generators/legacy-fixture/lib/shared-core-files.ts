import { LEGACY_COMPILER_OPTIONS } from './legacy-compiler-options';

/** The legacy repository root on `main`: shared code in src/core and the root package. */
export function sharedCoreCommits(): { message: string; files: Record<string, string> }[] {
  return [
    {
      message: 'core: shared types and logger',
      files: {
        'package.json':
          JSON.stringify(
            {
              name: 'rrralgorithms-legacy',
              version: '0.9.0',
              private: true,
              description:
                'RRRalgorithms legacy root: shared core; each service lives in its own git worktree under worktrees/.',
              scripts: { test: 'jest', typecheck: 'tsc --noEmit -p tsconfig.json' },
            },
            null,
            2,
          ) + '\n',
        'tsconfig.json':
          JSON.stringify(
            {
              compilerOptions: LEGACY_COMPILER_OPTIONS,
              include: ['src/**/*.ts'],
            },
            null,
            2,
          ) + '\n',
        'jest.config.js': [
          "/** @type {import('jest').Config} */",
          'module.exports = {',
          "  testEnvironment: 'node',",
          "  roots: ['<rootDir>/src'],",
          "  transform: { '^.+\\\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },",
          '};',
          '',
        ].join('\n'),
        '.gitignore': 'node_modules\ndist/\n*.log\n',
        'README.md': [
          '# RRRalgorithms (legacy)',
          '',
          'Shared code lives in `src/core`. Each service is developed in its own git worktree:',
          '',
          '```sh',
          'git worktree add worktrees/<service> service/<service>',
          '```',
          '',
          'See [the shared types](src/core/types.ts) and [the logger](src/core/logger.ts).',
          '',
        ].join('\n'),
        'src/core/types.ts': `/** Domain types shared by every legacy service. Times are epoch milliseconds, UTC. */
export type Side = 'buy' | 'sell';

export interface Bar {
  symbol: string;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface Signal {
  symbol: string;
  time: number;
  side: Side;
  /** Confidence in [0, 1]. */
  strength: number;
}

export interface OrderRequest {
  id: string;
  symbol: string;
  side: Side;
  quantity: number;
  limitPrice?: number;
}

export interface Fill {
  orderId: string;
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
  fee: number;
  time: number;
}
`,
        'src/core/logger.ts': `export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  service: string;
  message: string;
  fields: Record<string, unknown>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
  readonly entries: readonly LogEntry[];
}

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLogLevel(value: string): value is LogLevel {
  return value in SEVERITY;
}

/** An in-memory structured logger: children share the sink and prefix the service name. */
export function createLogger(service: string, minLevel: LogLevel = 'info', sink: LogEntry[] = []): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (SEVERITY[level] >= SEVERITY[minLevel]) sink.push({ level, service, message, fields });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (name) => createLogger(service + '.' + name, minLevel, sink),
    entries: sink,
  };
}
`,
        'src/core/math_utils.ts': `export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Sample standard deviation (n - 1). */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1));
}

export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
`,
      },
    },
    {
      message: 'core: config loader with legacy ports',
      files: {
        'src/core/config.ts': `import { LogLevel, isLogLevel } from './logger';

export interface ServiceConfig {
  name: string;
  port: number;
  logLevel: LogLevel;
}

/** Ports of the legacy services, one process each. */
export const LEGACY_PORTS: Readonly<Record<string, number>> = {
  neural_network: 8000,
  data_pipeline: 8001,
  trading_engine: 8002,
  risk_management: 8003,
  backtesting: 8004,
  api_integration: 8005,
  quantum_optimization: 8006,
  monitoring: 8501,
};

/** Defaults, overridden by NAME_PORT and LOG_LEVEL from the given environment. */
export function loadServiceConfig(name: string, env: Record<string, string | undefined> = {}): ServiceConfig {
  const rawPort = env[name.toUpperCase() + '_PORT'] ?? String(LEGACY_PORTS[name] ?? 3000);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(name + ': invalid port "' + rawPort + '"');
  }
  const logLevel = env['LOG_LEVEL'] ?? 'info';
  if (!isLogLevel(logLevel)) throw new Error(name + ': invalid LOG_LEVEL "' + logLevel + '"');
  return { name, port, logLevel };
}
`,
        'src/core/index.ts': `export * from './types';
export * from './logger';
export * from './config';
export * from './math_utils';
`,
        'src/core/config.test.ts': `import { LEGACY_PORTS, loadServiceConfig } from './config';

describe('loadServiceConfig', () => {
  it('uses the legacy port by default', () => {
    expect(loadServiceConfig('monitoring')).toEqual({ name: 'monitoring', port: LEGACY_PORTS['monitoring'], logLevel: 'info' });
  });

  it('reads the port and level from the environment', () => {
    expect(loadServiceConfig('backtesting', { BACKTESTING_PORT: '9100', LOG_LEVEL: 'debug' })).toEqual({
      name: 'backtesting',
      port: 9100,
      logLevel: 'debug',
    });
  });

  it('rejects a bad port', () => {
    expect(() => loadServiceConfig('backtesting', { BACKTESTING_PORT: '70000' })).toThrow('invalid port "70000"');
  });
});
`,
      },
    },
    {
      message: 'ignore service worktrees',
      files: { '.gitignore': 'node_modules\ndist/\n*.log\nworktrees/\n' },
    },
  ];
}
