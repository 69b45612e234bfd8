// @ts-check

/**
 * @param {import('../src/sources/price-feed').PriceFeed} feed
 * @returns {Promise<import('@rrr/core').Bar[]>}
 */
async function backfill(feed) {
  /** @type {typeof import('../src/storage-layer')} */
  const storage = require('../src/storage-layer');
  await feed.next();
  return storage ? [] : [];
}

module.exports = { backfill };
