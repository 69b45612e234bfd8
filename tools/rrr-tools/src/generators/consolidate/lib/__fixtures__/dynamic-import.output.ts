export async function loadAll() {
  const builder = await import('./bar-builder');
  const { SqliteStore } = await import(`../storage-layer/sqlite-store`);
  const feed = import(/* webpackChunkName: "feed" */ './price-feed');
  const { roundTo } = await import('@rrr/core');
  return { builder, SqliteStore, feed, roundTo };
}
