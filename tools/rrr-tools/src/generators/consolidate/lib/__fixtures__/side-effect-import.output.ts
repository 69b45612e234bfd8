import '../storage-layer/sqlite-store';
import '../market-data/tick-stream';
import 'reflect-metadata';
