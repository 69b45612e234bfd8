import { buildBar } from './bar_builder.js';
import { SqliteStore } from '../storageLayer/index.js';
import type { Bar } from '../../../../src/core/types.js';
export * from '../marketData/tick_stream.js';

export const built: [Bar, typeof SqliteStore] = [buildBar(), SqliteStore];
