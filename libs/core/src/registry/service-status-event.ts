/** Life-cycle state of a registered service. */
export type ServiceState = 'registered' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed' | 'restarting';

/** The states announced on the bus (every state but the initial `registered`). */
export type ServiceStatus = Exclude<ServiceState, 'registered'>;

/** Payload of the `service.status` topic: one per state change of a service. */
export interface ServiceStatusEvent {
  service: string;
  status: ServiceStatus;
  /** Epoch milliseconds UTC of the change, from the registry's clock. */
  ts: number;
  /** Message of the error behind a `failed` or `restarting` status. */
  error?: string;
}

/** The one thing the registry needs from an event bus; any `EventBus` whose topics include `service.status` fits. */
export interface ServiceStatusPublisher {
  publish(topic: 'service.status', payload: ServiceStatusEvent): Promise<void>;
}
