/** Adds an entry to a cache of at most `limit` entries, forgetting the earliest added when it is full. */
export function setBounded<K, V>(cache: Map<K, V>, key: K, value: V, limit: number): void {
  if (cache.size >= limit) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, value);
}
