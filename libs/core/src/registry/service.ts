export type HealthStatus = 'up' | 'degraded' | 'down';

export interface HealthReport {
  status: HealthStatus;
  details?: Record<string, unknown>;
}

/** What the registry runs: every platform service is built by a factory into this shape (plus its own API). */
export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): Promise<HealthReport> | HealthReport;
}

/** What a service factory is given when the registry builds the service. */
export interface ServiceContext {
  /** The name the service was registered under (for child loggers, metrics labels). */
  readonly name: string;
  /**
   * The running instance of a declared dependency. Asking for a service that was not declared throws
   * `DEPENDENCY_MISSING`, so the declared graph (and `nx graph`) stays the whole truth about who uses whom.
   */
  dependency<T extends Service = Service>(name: string): T;
  /** Tells the registry that this running service has crashed; the registry restarts it with backoff. */
  reportFailure(error: unknown): void;
}

export type ServiceFactory<S extends Service = Service> = (context: ServiceContext) => S | Promise<S>;
