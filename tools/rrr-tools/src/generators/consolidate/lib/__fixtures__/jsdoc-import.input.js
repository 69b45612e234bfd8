// @ts-check

/**
 * @param {import('../src/sources/priceFeed').PriceFeed} feed
 * @returns {Promise<import('../../../src/core/types').Bar[]>}
 */
async function backfill(feed) {
  /** @type {typeof import('../src/storageLayer')} */
  const storage = require('../src/storageLayer');
  await feed.next();
  return storage ? [] : [];
}

module.exports = { backfill };
