export * from './error-codes';
export * from './rrr-error';
export * from './error-classes';
export * from './error-message';
