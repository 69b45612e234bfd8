import { names } from '@nx/devkit';

export interface ServiceFilesInput {
  /** Kebab-case name (`pricing-feed`). */
  name: string;
  importPath: string;
  /** Where the Service contract comes from (`@rrr/core`), or undefined to declare the same shape locally. */
  contractFrom?: string;
  /** Projects the service may depend on, for the README. */
  dependsOn: string[];
}

export interface ServiceFiles {
  /** Paths relative to the library root → text. */
  files: Record<string, string>;
  factory: string;
}

/**
 * The sources of a new service library, as this workspace's services are written: a factory
 * `create<Name>Service(deps, config)` returning `{ start, stop, health }` (the registry's Service contract), its
 * spec starting and stopping it for real, the entry and a README with the public API in five lines.
 */
export function renderServiceFiles(input: ServiceFilesInput): ServiceFiles {
  const { className, fileName } = names(input.name);
  const factory = `create${className}Service`;
  const service = `${className}Service`;
  const moduleName = `create-${fileName}-service`;
  const contract = input.contractFrom
    ? `import type { HealthReport, Service } from '${input.contractFrom}';\n\n`
    : [
        "/** The registry's contract (start, stop, health), declared here because no shared library exports it. */",
        "export type HealthStatus = 'up' | 'degraded' | 'down';",
        '',
        'export interface HealthReport {',
        '  status: HealthStatus;',
        '  details?: Record<string, unknown>;',
        '}',
        '',
        'export interface Service {',
        '  start(): Promise<void>;',
        '  stop(): Promise<void>;',
        '  health(): Promise<HealthReport> | HealthReport;',
        '}',
        '',
        '',
      ].join('\n');

  const source = `${contract}export interface ${service}Deps {
  /** Epoch-millisecond clock (UTC), for the start time in health(). */
  now?: () => number;
  /** Where start and stop are logged; silent without one. */
  logger?: { info(message: string): void };
}

export interface ${service}Config {
  /** The name in logs and health details. */
  name?: string;
}

export interface ${service} extends Service {
  readonly name: string;
  /** Synchronous: up between start() and stop(), down otherwise. */
  health(): HealthReport;
}

/** The ${input.name} service: built from its dependencies and config, run by the service registry. */
export function ${factory}(deps: ${service}Deps = {}, config: ${service}Config = {}): ${service} {
  const now = deps.now ?? Date.now;
  const name = config.name ?? '${input.name}';
  let startedAt: number | undefined;

  return {
    name,
    async start() {
      if (startedAt !== undefined) return;
      startedAt = now();
      deps.logger?.info(\`\${name} started\`);
    },
    async stop() {
      if (startedAt === undefined) return;
      startedAt = undefined;
      deps.logger?.info(\`\${name} stopped\`);
    },
    health() {
      return startedAt === undefined ? { status: 'down' } : { status: 'up', details: { startedAt } };
    },
  };
}
`;

  const spec = `import { ${factory} } from './${moduleName}';

describe('${factory}', () => {
  it('is down until started, up while running and down again once stopped', async () => {
    const logged: string[] = [];
    const service = ${factory}({ now: () => 1_700_000_000_000, logger: { info: (m) => logged.push(m) } });

    expect(service.health()).toEqual({ status: 'down' });
    await service.start();
    expect(service.health()).toEqual({ status: 'up', details: { startedAt: 1_700_000_000_000 } });
    await service.stop();
    expect(service.health()).toEqual({ status: 'down' });
    expect(logged).toEqual(['${input.name} started', '${input.name} stopped']);
  });

  it('starts and stops once however often it is asked to', async () => {
    let clock = 0;
    const service = ${factory}({ now: () => ++clock }, { name: 'replica-2' });

    await service.start();
    await service.start();
    expect(service.health()).toEqual({ status: 'up', details: { startedAt: 1 } });
    await service.stop();
    await service.stop();
    expect(service.health().status).toBe('down');
    expect(service.name).toBe('replica-2');
  });
});
`;

  const readme = `# ${input.importPath}

The ${input.name} platform service. ${
    input.dependsOn.length > 0
      ? `Depends on ${input.dependsOn.map((dep) => `\`${dep}\``).join(', ')} only (module boundaries).`
      : 'Depends on no other project (module boundaries).'
  }

## Public API in five lines

\`\`\`ts
const ${names(input.name).propertyName} = ${factory}({ now, logger }, { name }); // { start, stop, health } + name
await ${names(input.name).propertyName}.start(); // idempotent; the registry starts it after its dependencies
${names(input.name).propertyName}.health(); // { status: 'up', details: { startedAt } } while running, { status: 'down' } otherwise
await ${names(input.name).propertyName}.stop(); // idempotent; the registry stops it in reverse boot order
import type { ${service}, ${service}Deps, ${service}Config } from '${input.importPath}';
\`\`\`
`;

  return {
    factory,
    files: {
      [`src/service/${moduleName}.ts`]: source,
      [`src/service/${moduleName}.spec.ts`]: spec,
      'src/index.ts': `export * from './service/${moduleName}';\n`,
      'README.md': readme,
    },
  };
}
