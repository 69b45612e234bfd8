import { Bar, Symbol } from '../../../../src/core/types';
import { maxPosition } from '../../../risk_management/src/limits/position_size';
import { DailyLossLimiter } from '../../../risk_management/src/limits/daily_loss';

export function size(bar: Bar, symbol: Symbol): number {
  return maxPosition(bar.close) + (symbol ? 0 : 1) + (DailyLossLimiter ? 0 : 1);
}
