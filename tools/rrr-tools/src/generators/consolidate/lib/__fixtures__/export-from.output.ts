export * from './bar-builder';
export * as storage from '../storage-layer';
export { SqliteStore as Store } from '../storage-layer/sqlite-store';
export type { Bar, Symbol } from '@rrr/core';
export { maxPosition } from '@rrr/risk-management';
