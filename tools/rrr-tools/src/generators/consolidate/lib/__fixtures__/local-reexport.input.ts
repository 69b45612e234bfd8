import { buildBar } from './bar_builder';
import { SqliteStore } from '../storageLayer/sqlite_store';

const localHelper = () => buildBar();

export { buildBar };
export { localHelper as helper, SqliteStore };
export { TickStream } from '../marketData/tick_stream';
