import { ValidationError, type FieldProblem } from '@rrr/core';
import {
  fixedBpsSlippage,
  volatilitySlippage,
  volumeShareSlippage,
  type BarFillTiming,
  type FeeSchedule,
  type SlippageModel,
} from '@rrr/trading-engine';

/**
 * When an order placed on a bar's signal executes (the paper exchange's `barFillTiming`, which applies it). 'next-open' (default, no look-ahead): at the next bar's open, as a
 * live system that acts after a bar closes would. 'close': at the close of the bar that produced the signal — not
 * achievable live (the close is only known once it has passed), offered to measure how much a backtest flatters
 * itself when it assumes it is.
 */
export type FillTiming = BarFillTiming;
export const FILL_TIMINGS: readonly FillTiming[] = ['next-open', 'close'];

/**
 * The slippage models of the paper exchange (trading-engine), by name:
 * - fixed: `bps` basis points on every aggressive fill (legacy default 5);
 * - volume: `baseBps` + `impactBps` × (order quantity / bar volume), capped at the whole bar;
 * - volatility: `baseBps` + `rangeFraction` × (bar high − low) / bar open.
 * Buys pay reference × (1 + f), sells receive reference × (1 − f).
 */
export type SlippageSpec =
  | { model: 'fixed'; bps?: number }
  | { model: 'volume'; baseBps?: number; impactBps?: number }
  | { model: 'volatility'; baseBps?: number; rangeFraction?: number };
export const SLIPPAGE_MODELS = ['fixed', 'volume', 'volatility'] as const;

/** The trading-engine model for a spec (its constructors validate the numbers, naming the field). */
export function slippageModelFor(spec: SlippageSpec): SlippageModel {
  switch (spec.model) {
    case 'fixed':
      return fixedBpsSlippage(spec.bps ?? 5);
    case 'volume':
      return volumeShareSlippage({
        ...(spec.baseBps === undefined ? {} : { baseBps: spec.baseBps }),
        ...(spec.impactBps === undefined ? {} : { impactBps: spec.impactBps }),
      });
    case 'volatility':
      return volatilitySlippage({
        ...(spec.baseBps === undefined ? {} : { baseBps: spec.baseBps }),
        ...(spec.rangeFraction === undefined ? {} : { rangeFraction: spec.rangeFraction }),
      });
    default:
      throw new ValidationError('slippage', [
        {
          field: 'slippage.model',
          message: `must be one of ${SLIPPAGE_MODELS.join(', ')}`,
          value: (spec as { model?: unknown }).model,
        },
      ]);
  }
}

/** Problems with a slippage spec, without throwing (for request validation that reports everything at once). */
export function slippageSpecProblems(spec: unknown): FieldProblem[] {
  try {
    slippageModelFor(spec as SlippageSpec);
    return [];
  } catch (error) {
    if (error instanceof ValidationError) {
      return error.problems.map((p) => ({
        ...p,
        field: p.field.startsWith('slippage') ? p.field : `slippage.${p.field}`,
      }));
    }
    throw error;
  }
}

/**
 * Fees as the paper exchange charges them: a fraction of notional per fill, the same for maker and taker by default
 * (legacy commission 0.1 %).
 */
export function feeScheduleFor(commissionRate: number, makerRate = commissionRate): FeeSchedule {
  return { makerRate, takerRate: commissionRate };
}
