/** Calls `fn` once, `ms` after the last of a burst of calls (a burst of fills becomes one REST refresh). */
export function debounce(fn: () => void, ms: number): () => void {
  let handle: number | undefined;
  return () => {
    if (handle !== undefined) window.clearTimeout(handle);
    handle = window.setTimeout(() => {
      handle = undefined;
      fn();
    }, ms);
  };
}
