import {
  EXEMPT_REDUCING,
  exceedsLimit,
  formatAmount,
  formatPct,
  ratioToEquity,
  type PreTradeRule,
} from './pre-trade-rule';

/** Fat-finger guard on the order's own notional. Reduce-only orders are exempt: they can never exceed the position. */
export const maxOrderNotionalRule: PreTradeRule = {
  name: 'max-order-notional',
  description: 'order quantity × price must not exceed maxOrderNotional',
  check(ctx) {
    const limit = ctx.limits.maxOrderNotional;
    if (ctx.order.reduceOnly) return { pass: true, note: 'reduce-only order', limit };
    const value = ctx.orderNotional;
    if (exceedsLimit(value, limit)) {
      return {
        pass: false,
        value,
        limit,
        reason: `order notional ${formatAmount(value)} (${ctx.order.quantity} × ${formatAmount(ctx.referencePrice)}) exceeds the limit ${formatAmount(limit)}`,
      };
    }
    return { pass: true, value, limit };
  },
};

/** The projected position in the symbol (with the working orders on the same side) as a fraction of equity. */
export const maxPositionRule: PreTradeRule = {
  name: 'max-position',
  description: 'projected |position| × mark / equity must not exceed maxPositionPct',
  check(ctx) {
    if (!ctx.increasesExposure) return EXEMPT_REDUCING;
    const limit = ctx.limits.maxPositionPct;
    const notional = Math.abs(ctx.projectedPosition) * ctx.mark;
    const value = ratioToEquity(notional, ctx.snapshot.equity);
    if (exceedsLimit(value, limit)) {
      return {
        pass: false,
        value,
        limit,
        reason: `projected ${ctx.order.symbol} position ${formatAmount(notional)} (${Math.abs(ctx.projectedPosition)} × ${formatAmount(ctx.mark)}) would be ${formatPct(value)} of equity ${formatAmount(ctx.snapshot.equity)} (limit ${formatPct(limit)})`,
      };
    }
    return { pass: true, value, limit };
  },
};

/** Counts symbols with a position or a working order that opens one; only an order opening a new symbol is checked. */
export const maxOpenPositionsRule: PreTradeRule = {
  name: 'max-open-positions',
  description: 'an order that opens a new position must leave at most maxOpenPositions open',
  check(ctx) {
    const limit = ctx.limits.maxOpenPositions;
    if (!ctx.opensNewPosition)
      return { pass: true, value: ctx.openPositionCount, limit, note: 'order opens no new position' };
    const value = ctx.openPositionCount + 1;
    if (exceedsLimit(value, limit)) {
      return {
        pass: false,
        value,
        limit,
        reason: `opening ${ctx.order.symbol} would make ${value} open positions (limit ${limit})`,
      };
    }
    return { pass: true, value, limit };
  },
};

/** Gross exposure after the order over equity. */
export const maxLeverageRule: PreTradeRule = {
  name: 'max-leverage',
  description: 'gross exposure / equity after the order must not exceed maxLeverage',
  check(ctx) {
    if (!ctx.increasesExposure) return EXEMPT_REDUCING;
    const limit = ctx.limits.maxLeverage;
    const value = ratioToEquity(ctx.grossExposureAfter, ctx.snapshot.equity);
    if (exceedsLimit(value, limit)) {
      return {
        pass: false,
        value,
        limit,
        reason: `gross exposure ${formatAmount(ctx.grossExposureAfter)} would be ${value.toFixed(4)}× equity ${formatAmount(ctx.snapshot.equity)} (limit ${limit}×)`,
      };
    }
    return { pass: true, value, limit };
  },
};

/**
 * The order's base asset (BTC for BTC-USD and BTC/USDT alike) as a share of max(gross exposure, equity). The floor
 * at equity keeps the first positions of a book tradable: as a share of gross exposure alone, a book's first
 * position is always 100 % concentrated.
 */
export const maxConcentrationRule: PreTradeRule = {
  name: 'max-concentration',
  description:
    "base asset's gross exposure / max(gross exposure, equity) after the order must not exceed maxConcentrationPct",
  check(ctx) {
    if (!ctx.increasesExposure) return EXEMPT_REDUCING;
    const limit = ctx.limits.maxConcentrationPct;
    const denominator = Math.max(ctx.grossExposureAfter, ctx.snapshot.equity);
    const value = ratioToEquity(ctx.baseExposureAfter, denominator);
    if (exceedsLimit(value, limit)) {
      return {
        pass: false,
        value,
        limit,
        reason: `exposure to ${ctx.baseAsset} ${formatAmount(ctx.baseExposureAfter)} would be ${formatPct(value)} of max(gross exposure, equity) ${formatAmount(denominator)} (limit ${formatPct(limit)})`,
      };
    }
    return { pass: true, value, limit };
  },
};
