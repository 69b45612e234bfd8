import { deepFreeze } from './deep-freeze';
import { platformConfigSchema, type PlatformConfig } from './platform-config-schema';

/** The built-in defaults alone (no file, no environment), deep-frozen: handy for tests and tools. */
export function defaultPlatformConfig(): PlatformConfig {
  return deepFreeze(platformConfigSchema().parse({}));
}
