import pino from 'pino';
import type { LogLevel } from './log-level';
import { redactLogObject } from './redact-log-object';

export type RrrLogger = pino.Logger;

export interface CreateLoggerOptions {
  level: LogLevel;
  name?: string;
  /** Where JSON lines go; stdout when omitted. Tests pass a stream to capture them. */
  destination?: pino.DestinationStream;
  /** Exact paths to censor as well, in pino's `redact` syntax (e.g. `order.account`). */
  redact?: readonly string[];
}

function serializeError(value: unknown): unknown {
  return redactLogObject(value instanceof Error ? pino.stdSerializers.err(value) : value);
}

/**
 * The platform's root logger: JSON lines with the level as a label and epoch-millisecond `time`. Everything logged,
 * child bindings included, goes through `redactLogObject` first, so credentials never reach the output.
 */
export function createLogger(options: CreateLoggerOptions): RrrLogger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.redact === undefined || options.redact.length === 0
      ? {}
      : { redact: { paths: [...options.redact], censor: '[redacted]' } }),
    // Errors are serialized after `formatters.log` has run, so their fields (RrrError details) are censored here.
    serializers: { err: serializeError, error: serializeError },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redactLogObject(bindings),
      log: (object) => redactLogObject(object),
    },
  };
  return options.destination === undefined ? pino(pinoOptions) : pino(pinoOptions, options.destination);
}

const children = new WeakMap<RrrLogger, Map<string, RrrLogger>>();

/** The child logger of `service`, bound as `{ service }`; asking again returns the same one. */
export function childLogger(logger: RrrLogger, service: string): RrrLogger {
  let byService = children.get(logger);
  if (byService === undefined) {
    byService = new Map();
    children.set(logger, byService);
  }
  let child = byService.get(service);
  if (child === undefined) {
    child = logger.child({ service });
    byService.set(service, child);
  }
  return child;
}
