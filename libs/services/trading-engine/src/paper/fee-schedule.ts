import { ValidationError, type FillLiquidity } from '@rrr/core';

/** Fee rates as fractions of notional (0.001 = 0.1 %); a negative maker rate is a rebate. */
export interface FeeSchedule {
  makerRate: number;
  takerRate: number;
}

/** The legacy paper exchange's rates: 0.1 % either way. */
export const DEFAULT_FEE_SCHEDULE: Readonly<FeeSchedule> = Object.freeze({ makerRate: 0.001, takerRate: 0.001 });

export function checkFeeSchedule(schedule: FeeSchedule): FeeSchedule {
  const problems = [];
  if (!(schedule.takerRate >= 0 && schedule.takerRate < 1)) {
    problems.push({ field: 'takerRate', message: 'must be a fraction in [0, 1)', value: schedule.takerRate });
  }
  if (!(schedule.makerRate > -1 && schedule.makerRate < 1)) {
    problems.push({ field: 'makerRate', message: 'must be a fraction in (-1, 1)', value: schedule.makerRate });
  }
  if (problems.length > 0) throw new ValidationError('fee schedule', problems);
  return schedule;
}

/** Fee on one execution, in the quote currency: notional × the maker or taker rate. */
export function executionFee(notional: number, liquidity: FillLiquidity, schedule: FeeSchedule): number {
  return notional * (liquidity === 'maker' ? schedule.makerRate : schedule.takerRate);
}
