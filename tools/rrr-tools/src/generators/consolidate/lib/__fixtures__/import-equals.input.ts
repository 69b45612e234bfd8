import store = require('../storageLayer/sqlite_store');
import core = require('../../../../src/core');
import path = require('path');

export const created = new store.SqliteStore();
export type CoreBar = core.Bar;
void path;
