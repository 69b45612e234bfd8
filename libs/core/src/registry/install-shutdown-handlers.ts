import { errorMessage } from '../errors';
import type { RegistryLogger } from './service-registry';

export interface ShutdownHandlerOptions {
  signals?: NodeJS.Signals[];
  /** Longest the graceful stop may take before exiting with code 1. Default 15,000 ms. */
  timeoutMs?: number;
  /** Called once with the exit code; default `process.exit`. */
  onExit?: (code: number) => void;
  logger?: Pick<RegistryLogger, 'info' | 'error'>;
  /** Where the signals arrive; default `process`. Tests pass their own emitter instead of signalling the runner. */
  signalSource?: SignalSource;
}

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

const consoleLogger: Pick<RegistryLogger, 'info' | 'error'> = {
  info: (context, message) => console.info(message, context),
  error: (context, message) => console.error(message, context),
};

/**
 * First signal: stop every service gracefully, then exit 0 (1 if a stop failed or the timeout passed).
 * A second signal while that runs exits at once with 1: the operator has asked twice.
 * Returns a function that removes the handlers (and a pending timeout).
 */
export function installShutdownHandlers(
  registry: { stopAll(): Promise<void> },
  options: ShutdownHandlerOptions = {},
): () => void {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const timeoutMs = options.timeoutMs ?? 15_000;
  const onExit = options.onExit ?? ((code: number) => process.exit(code));
  const logger = options.logger ?? consoleLogger;
  let shuttingDown = false;
  let exited = false;
  let timer: NodeJS.Timeout | undefined;

  const exit = (code: number): void => {
    clearTimeout(timer);
    if (exited) return;
    exited = true;
    onExit(code);
  };

  const handler = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.error({ signal }, 'second signal during shutdown: exiting immediately');
      exit(1);
      return;
    }
    shuttingDown = true;
    logger.info({ signal, timeoutMs }, 'shutting down: stopping all services');
    timer = setTimeout(() => {
      logger.error({ signal, timeoutMs }, `graceful shutdown did not finish within ${timeoutMs} ms`);
      exit(1);
    }, timeoutMs);
    registry.stopAll().then(
      () => {
        logger.info({ signal }, 'all services stopped');
        exit(0);
      },
      (error: unknown) => {
        logger.error({ signal, error: errorMessage(error) }, 'shutdown failed');
        exit(1);
      },
    );
  };

  const source: SignalSource = options.signalSource ?? process;
  for (const signal of signals) source.on(signal, handler);
  return () => {
    for (const signal of signals) source.off(signal, handler);
    clearTimeout(timer);
  };
}
