import type { RegistryTimers } from '@rrr/core';

/**
 * The timer functions the periodic loops use. Same shape as the registry's, so one injected set (e.g. ManualTimers
 * in tests) drives the registry and monitoring alike.
 */
export type MonitorTimers = RegistryTimers;

export const systemTimers: MonitorTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
