const { buildBar } = require('./bar_builder');
const feed = require('./priceFeed');
const { SqliteStore } = require('../storageLayer');
const fs = require('fs');

module.exports = { buildBar, feed, SqliteStore, fs };
