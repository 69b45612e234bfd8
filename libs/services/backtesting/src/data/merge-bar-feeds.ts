import type { Bar } from '@rrr/core';

/** Bars of one symbol in time order: an array, any iterable, or an async iterable (a data-pipeline source). */
export type BarFeed = readonly Bar[] | Iterable<Bar> | AsyncIterable<Bar>;

function isAsync(feed: BarFeed): feed is AsyncIterable<Bar> {
  return typeof (feed as AsyncIterable<Bar>)[Symbol.asyncIterator] === 'function';
}

/**
 * Merges arrays of bars, one per symbol, into one time-ordered array: by open time, ties in the order the feeds are
 * given (so a run is reproducible). Used when every feed is already in memory — the engine then loops without
 * awaiting the data.
 */
export function mergeBarArrays(feeds: readonly (readonly Bar[])[]): Bar[] {
  if (feeds.length === 1) return [...feeds[0]];
  const total = feeds.reduce((n, f) => n + f.length, 0);
  const merged = new Array<Bar>(total);
  const next = new Array<number>(feeds.length).fill(0);
  for (let k = 0; k < total; k += 1) {
    let best = -1;
    for (let i = 0; i < feeds.length; i += 1) {
      const bar = feeds[i][next[i]];
      if (bar !== undefined && (best < 0 || bar.ts < feeds[best][next[best]].ts)) best = i;
    }
    merged[k] = feeds[best][next[best]];
    next[best] += 1;
  }
  return merged;
}

/**
 * Merges feeds lazily into one time-ordered stream with the same tie rule. A feed is asked for its next bar only
 * when the merge needs it to decide what comes next — i.e. after its previous bar has been handed on and a new one
 * is requested — so a consumer that processes each bar before asking for the next has never caused anything beyond
 * the bar it is processing to be read (what the no-look-ahead test observes).
 */
export async function* mergeBarStreams(feeds: readonly BarFeed[]): AsyncGenerator<Bar> {
  const iterators = feeds.map((feed) =>
    isAsync(feed) ? feed[Symbol.asyncIterator]() : toAsyncIterator((feed as Iterable<Bar>)[Symbol.iterator]()),
  );
  const heads: (Bar | undefined)[] = new Array(feeds.length).fill(undefined);
  const done = new Array<boolean>(feeds.length).fill(false);
  const refill = async (i: number): Promise<void> => {
    const step = await iterators[i].next();
    if (step.done === true) done[i] = true;
    else heads[i] = step.value;
  };
  try {
    for (let i = 0; i < feeds.length; i += 1) await refill(i);
    for (;;) {
      let best = -1;
      for (let i = 0; i < feeds.length; i += 1) {
        const head = heads[i];
        if (head !== undefined && (best < 0 || head.ts < (heads[best] as Bar).ts)) best = i;
      }
      if (best < 0) return;
      const bar = heads[best] as Bar;
      heads[best] = undefined;
      yield bar;
      if (!done[best]) await refill(best);
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}

function toAsyncIterator(iterator: Iterator<Bar>): AsyncIterator<Bar> {
  return {
    next: async () => iterator.next(),
    return: async () => iterator.return?.() ?? { done: true, value: undefined },
  };
}
