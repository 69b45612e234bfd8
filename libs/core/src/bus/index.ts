export * from './event-bus';
export * from './topic-pattern';
export * from './topics';
export * from './in-process-event-bus';
export * from './nats-event-bus';
