import { ConfigError, ServiceRegistry, type FieldProblem, type Service, type ServiceFactory } from '@rrr/core';

/** What every process runs whatever `services` says: every other service needs them. */
export const INFRASTRUCTURE_SERVICES: readonly string[] = ['database', 'event-bus'];

/**
 * The registry of one process of a scaled-out platform: the composition root registers every service, and only those
 * named in config `services` (plus the database and the event bus) are kept. The other processes run the rest on
 * the same NATS bus and PostgreSQL database. `checkSelection` refuses names that are no service, and a service whose
 * in-process dependency (e.g. trading-engine → risk-management, whose pre-trade check it calls) is left out.
 */
export class SelectiveServiceRegistry extends ServiceRegistry {
  private readonly selected: ReadonlySet<string> | 'all';
  private readonly declared = new Map<string, readonly string[]>();

  constructor(services: readonly string[], options: ConstructorParameters<typeof ServiceRegistry>[0]) {
    super(options);
    this.selected = services.includes('all') ? 'all' : new Set([...INFRASTRUCTURE_SERVICES, ...services]);
  }

  /** Whether this process runs `name`. */
  runs(name: string): boolean {
    return this.selected === 'all' || this.selected.has(name);
  }

  /** The services of `names` this process runs: optional dependencies (the API's route sources). */
  present(names: readonly string[]): string[] {
    return names.filter((name) => this.runs(name));
  }

  override register<S extends Service>(name: string, factory: ServiceFactory<S>, deps: string[] = []): this {
    this.declared.set(name, deps);
    return this.runs(name) ? super.register(name, factory, deps) : this;
  }

  /** Throws CONFIG_INVALID naming `services` when the selection cannot run; call once every service is registered. */
  checkSelection(services: readonly string[]): void {
    const problems: FieldProblem[] = [];
    const known = [...this.declared.keys()];
    services.forEach((name, i) => {
      if (name !== 'all' && !this.declared.has(name)) {
        problems.push({
          field: `services[${i}]`,
          message: `is not a platform service (one of all, ${known.join(', ')})`,
          value: name,
        });
      }
    });
    for (const [name, deps] of this.declared) {
      if (!this.runs(name)) continue;
      for (const dep of deps) {
        if (!this.runs(dep)) {
          problems.push({
            field: 'services',
            message: `${name} needs ${dep} in the same process: add ${dep} or remove ${name}`,
            value: [...services],
          });
        }
      }
    }
    if (problems.length > 0) throw new ConfigError(problems, 'service selection');
  }
}
