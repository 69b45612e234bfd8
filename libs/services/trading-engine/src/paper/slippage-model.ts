import { ValidationError, type Bar, type OrderSide } from '@rrr/core';

/** What a slippage model may look at when pricing one execution. */
export interface SlippageContext {
  side: OrderSide;
  /** The price the execution starts from: a bar's open, a trade's price, the touch of a quote, a stop's trigger. */
  referencePrice: number;
  quantity: number;
  /** The bar being matched, when matching against bars. */
  bar?: Bar;
}

/**
 * How far an aggressive execution lands from its reference price, as a fraction (0.0005 = 5 bps), always against the
 * order: buys pay reference × (1 + f), sells receive reference × (1 − f). Resting (maker) fills never slip.
 */
export interface SlippageModel {
  readonly name: string;
  fraction(context: SlippageContext): number;
}

function checkBps(subject: string, field: string, value: number): void {
  if (!(value >= 0 && value < 10_000)) {
    throw new ValidationError(subject, [{ field, message: 'must be a number of basis points in [0, 10000)', value }]);
  }
}

/** A fixed number of basis points on every aggressive fill (the legacy model: 5 bps). */
export function fixedBpsSlippage(bps = 5): SlippageModel {
  checkBps('fixed slippage', 'bps', bps);
  const fraction = bps / 10_000;
  return { name: `fixed(${bps}bps)`, fraction: () => fraction };
}

/**
 * Base bps plus an impact linear in the order's share of the bar's volume: taking 10 % of a bar with impactBps 100
 * adds 10 bps. Without a bar (trades, quotes) only the base applies.
 */
export function volumeShareSlippage(options: { baseBps?: number; impactBps?: number } = {}): SlippageModel {
  const baseBps = options.baseBps ?? 5;
  const impactBps = options.impactBps ?? 100;
  checkBps('volume slippage', 'baseBps', baseBps);
  checkBps('volume slippage', 'impactBps', impactBps);
  return {
    name: `volume(${baseBps}bps+${impactBps}bps×share)`,
    fraction: ({ quantity, bar }) => {
      const share = bar !== undefined && bar.volume > 0 ? Math.min(1, quantity / bar.volume) : 0;
      return (baseBps + impactBps * share) / 10_000;
    },
  };
}

/** Base bps plus a fraction of the bar's range relative to its open: a wide bar slips more. */
export function volatilitySlippage(options: { baseBps?: number; rangeFraction?: number } = {}): SlippageModel {
  const baseBps = options.baseBps ?? 0;
  const rangeFraction = options.rangeFraction ?? 0.1;
  checkBps('volatility slippage', 'baseBps', baseBps);
  if (!(rangeFraction >= 0 && rangeFraction <= 1)) {
    throw new ValidationError('volatility slippage', [
      { field: 'rangeFraction', message: 'must be in [0, 1]', value: rangeFraction },
    ]);
  }
  return {
    name: `volatility(${baseBps}bps+${rangeFraction}×range)`,
    fraction: ({ bar }) =>
      baseBps / 10_000 + (bar === undefined ? 0 : (rangeFraction * (bar.high - bar.low)) / bar.open),
  };
}

/** The execution price after slippage, against the order's side. */
export function slippedPrice(side: OrderSide, referencePrice: number, fraction: number): number {
  return side === 'buy' ? referencePrice * (1 + fraction) : referencePrice * (1 - fraction);
}
