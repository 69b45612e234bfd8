import { buildBar } from './bar-builder';
import { SqliteStore } from '../storage-layer/sqlite-store';

const localHelper = () => buildBar();

export { buildBar };
export { localHelper as helper, SqliteStore };
export { TickStream } from '../market-data/tick-stream';
