import { buildBar } from './bar-builder.js';
import { SqliteStore } from '../storage-layer/index.js';
import type { Bar } from '@rrr/core';
export * from '../market-data/tick-stream.js';

export const built: [Bar, typeof SqliteStore] = [buildBar(), SqliteStore];
