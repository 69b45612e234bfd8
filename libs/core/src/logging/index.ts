export { LOG_LEVELS } from './log-level';
export type { LogLevel } from './log-level';
export { createLogger, childLogger } from './create-logger';
export type { CreateLoggerOptions, RrrLogger } from './create-logger';
export { redactLogObject, LOG_CENSOR, LOG_SECRET_KEY_SUFFIXES } from './redact-log-object';
