import type { Trade } from '@rrr/core';

/** Trades of one symbol that never reached the feed: they fell between the two trades' timestamps. */
export interface TradeGap {
  symbol: string;
  /** Time of the last trade seen before the gap. */
  afterTs: number;
  /** Time of the first trade seen after it. */
  beforeTs: number;
  /** Why the gap is known, for the report: the two trade ids, or the stream's failure. */
  reason: string;
}

interface LastTrade {
  ts: number;
  /** The venue's id as a number, when it is one. */
  id: bigint | undefined;
  /** The stream failed after this trade: whatever comes next follows an outage. */
  interrupted: boolean;
}

const NUMERIC_ID = /^\d+$/;

/**
 * Finds the trades a stream lost. Binance and Coinbase number each market's trades one after another, so a trade whose
 * id is not the previous id + 1 follows missed trades; a stream that failed and was watched again lost whatever printed
 * meanwhile. Ids that are not decimal numbers say nothing (other venues), so only failures count then. BigInt keeps
 * ids beyond 2^53 exact.
 */
export class TradeGapDetector {
  private readonly last = new Map<string, LastTrade>();
  private detected = 0;

  /** Gaps found so far (an outage counts once, whether the failure or an id jump revealed it). */
  get gaps(): number {
    return this.detected;
  }

  /**
   * The symbol's stream failed. Returns the time of the last trade seen (the outage may start right after it), or
   * undefined when nothing was seen yet, or the outage is already known.
   */
  interrupted(symbol: string): number | undefined {
    const last = this.last.get(symbol);
    if (last === undefined || last.interrupted) return undefined;
    last.interrupted = true;
    this.detected++;
    return last.ts;
  }

  /** Records a trade; returns the gap before it, if one is known. Ids going backwards (replays) are no gap. */
  observe(trade: Trade): TradeGap | undefined {
    const id = trade.id !== undefined && NUMERIC_ID.test(trade.id) ? BigInt(trade.id) : undefined;
    const last = this.last.get(trade.symbol);
    this.last.set(trade.symbol, {
      ts: Math.max(trade.ts, last?.ts ?? -Infinity),
      id: last?.id !== undefined && id !== undefined && id < last.id ? last.id : id,
      interrupted: false,
    });
    if (last === undefined) return undefined;
    const gap = { symbol: trade.symbol, afterTs: last.ts, beforeTs: Math.max(trade.ts, last.ts) };
    if (last.interrupted) return { ...gap, reason: 'the trade stream failed and was watched again' };
    if (id === undefined || last.id === undefined || id <= last.id + 1n) return undefined;
    this.detected++;
    return { ...gap, reason: `trade ${id} followed trade ${last.id}` };
  }
}
