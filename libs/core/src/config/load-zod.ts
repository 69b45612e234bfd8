import type * as Zod from 'zod';

// zod takes ~75 ms to load, more than the rest of core together: only the config needs it, so a process (or a worker
// thread) that imports core without loading a config does not pay for it. The types stay static.

export function loadZod(): typeof Zod.z {
  return (require('zod') as typeof Zod).z;
}
