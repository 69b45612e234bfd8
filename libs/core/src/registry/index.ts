export * from './service';
export * from './service-status-event';
export * from './restart-policy';
export * from './dependency-graph';
export * from './service-registry';
export * from './install-shutdown-handlers';
