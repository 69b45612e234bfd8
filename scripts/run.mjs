// `npm start` / `npm run rrr -- …`: bundle the platform from source (esbuild, well under a second) and run its CLI.
import { createRequire } from 'node:module';
import { bundle } from './build-platform.mjs';

const main = await bundle('apps/platform/src/main.ts', 'dist/apps/platform/main.js');
process.argv.splice(1, 1, main);
createRequire(import.meta.url)(main);
