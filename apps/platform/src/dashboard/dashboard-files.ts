import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const DASHBOARD_DIR = 'apps/platform/src/dashboard';

/** Where the dashboard's sources live in the checkout. */
export interface DashboardFiles {
  /** The monorepo root (node_modules and tsconfig.base.json). */
  root: string;
  /** index.html and the stylesheet, served as they are. */
  publicDir: string;
  /** The TypeScript entry bundled for the browser. */
  clientEntry: string;
  /** The client's own tsconfig (DOM lib). */
  clientTsconfig: string;
}

/**
 * The dashboard's files, searched above each of `from` in turn (this module: the source tree under jest, the bundle's
 * directory in the CLI), or undefined when none of them is inside the checkout (a bundle copied elsewhere).
 */
export function locateDashboardFiles(...from: string[]): DashboardFiles | undefined {
  for (const start of from) {
    for (let dir = start; ; dir = dirname(dir)) {
      const clientEntry = join(dir, DASHBOARD_DIR, 'client', 'main.ts');
      if (existsSync(join(dir, 'tsconfig.base.json')) && existsSync(clientEntry)) {
        return {
          root: dir,
          publicDir: join(dir, DASHBOARD_DIR, 'public'),
          clientEntry,
          clientTsconfig: join(dir, DASHBOARD_DIR, 'client', 'tsconfig.json'),
        };
      }
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}
