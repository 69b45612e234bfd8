const { buildBar } = require('./bar-builder');
const feed = require('./price-feed');
const { SqliteStore } = require('../storage-layer');
const fs = require('fs');

module.exports = { buildBar, feed, SqliteStore, fs };
