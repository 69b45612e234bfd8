export * from './sleep';
export * from './with-timeout';
export * from './map-concurrent';
export * from './gather';
export * from './retry';
export * from './circuit-breaker';
export * from './token-bucket';
export * from './rate-limiter-map';
export * from './async-cache';
export * from './batcher';
export * from './resource-pool';
export * from './bundled-worker-script';
export * from './job-queue';
export * from './job-heartbeat';
export {
  checkOptions,
  isIntAtLeast,
  resolveIntegerOptions,
  type IntegerOptionRange,
  type OptionRule,
} from './option-checks';
export * from './job-claim-lost-error';
export * from './stored-job-table';
export * from './job-takeover';
export * from './ordered-writes';
export * from './stored-job-writes';
