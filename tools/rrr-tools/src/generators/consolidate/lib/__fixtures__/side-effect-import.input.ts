import '../storageLayer/sqlite_store';
import '../marketData/tick_stream';
import 'reflect-metadata';
