export async function loadAll() {
  const builder = await import('./bar_builder');
  const { SqliteStore } = await import(`../storageLayer/sqlite_store`);
  const feed = import(/* webpackChunkName: "feed" */ './priceFeed');
  const { roundTo } = await import('@shared/utils');
  return { builder, SqliteStore, feed, roundTo };
}
