import { TickStream } from './tick-stream';
import { fetchPrices } from '../sources/price-feed';
import { SqliteStore } from '../storage-layer/sqlite-store';

export const merge = (stream: TickStream, store: SqliteStore) => [stream, store, fetchPrices];
