import { TickStream } from './tick_stream';
import { fetchPrices } from '../sources/priceFeed';
import { SqliteStore } from '../storageLayer/sqlite_store';

export const merge = (stream: TickStream, store: SqliteStore) => [stream, store, fetchPrices];
