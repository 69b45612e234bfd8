import store = require('../storage-layer/sqlite-store');
import core = require('@rrr/core');
import path = require('path');

export const created = new store.SqliteStore();
export type CoreBar = core.Bar;
void path;
