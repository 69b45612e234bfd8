/**
 * The slice of a pino logger the clients write to. Taking this instead of pino itself keeps the clients usable with
 * core's `createLogger()` child, a test's capturing logger or nothing at all.
 */
export interface ApiLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const ignore = (): void => undefined;

/** Drops everything: the default when no logger is given. */
export const silentApiLogger: ApiLogger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });
