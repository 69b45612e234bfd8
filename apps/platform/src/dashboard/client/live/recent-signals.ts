import type { Signal, SignalRow } from '../api/wire-types';

/** A signal as the dashboard shows it, whether it came from `GET /api/v1/signals` or the `signals` channel. */
export interface SignalView extends Omit<SignalRow, 'id'> {
  /** One per source, symbol and instant, as the `signals` table keeps them: the same signal from REST and live. */
  key: string;
}

export function signalView(signal: Signal | SignalRow): SignalView {
  return {
    key: `${signal.symbol} ${signal.source} ${signal.ts}`,
    ts: signal.ts,
    symbol: signal.symbol,
    source: signal.source,
    direction: signal.direction,
    strength: signal.strength,
    price: signal.price ?? null,
    reason: signal.reason ?? null,
  };
}

function newestFirst(a: SignalView, b: SignalView): number {
  return b.ts - a.ts || a.key.localeCompare(b.key);
}

/**
 * The newest `limit` signals seen, newest first. Signals never change once made, so what a reload reads and what
 * arrived live are merged rather than replaced: a signal that arrived while the REST answer was on its way is kept.
 */
export class RecentSignals {
  private signals: SignalView[] = [];

  constructor(readonly limit: number) {}

  /** Adds signals (either shape); false when none was new and within the newest `limit`. */
  add(signals: readonly (Signal | SignalRow)[]): boolean {
    const byKey = new Map(this.signals.map((s) => [s.key, s]));
    for (const signal of signals) {
      const view = signalView(signal);
      if (!byKey.has(view.key)) byKey.set(view.key, view);
    }
    const next = [...byKey.values()].sort(newestFirst).slice(0, this.limit);
    const changed = next.length !== this.signals.length || next.some((s, i) => s !== this.signals[i]);
    this.signals = next;
    return changed;
  }

  clear(): void {
    this.signals = [];
  }

  /** Newest first. */
  list(): readonly SignalView[] {
    return this.signals;
  }
}
