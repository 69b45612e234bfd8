import { Bar, Symbol } from '@rrr/core';
import { maxPosition } from '@rrr/risk-management';
import { DailyLossLimiter } from '@rrr/risk-management';

export function size(bar: Bar, symbol: Symbol): number {
  return maxPosition(bar.close) + (symbol ? 0 : 1) + (DailyLossLimiter ? 0 : 1);
}
