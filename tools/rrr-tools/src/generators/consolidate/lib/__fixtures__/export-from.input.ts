export * from './bar_builder';
export * as storage from '../storageLayer';
export { SqliteStore as Store } from '../storageLayer/sqlite_store';
export type { Bar, Symbol } from '../../../../src/core/types';
export { maxPosition } from '../../../risk_management/src/limits/position_size';
