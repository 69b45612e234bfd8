import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version in the workspace's package.json (the folder holding nx.json), searched above each of `from` in turn: the
 * source tree under jest, the bundle's directory in the CLI. 'unknown' for a bundle copied out of the checkout.
 */
export function platformVersion(...from: string[]): string {
  for (const start of from) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'package.json'))) {
        const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
        return typeof version === 'string' ? version : 'unknown';
      }
      if (dirname(dir) === dir) break;
    }
  }
  return 'unknown';
}
