import type { LossPeriod } from './period-losses';
import { EXEMPT_REDUCING, formatPct, reachesLimit, type PreTradeRule } from './pre-trade-rule';
import type { RiskLimits } from './risk-limits';

const PERIOD_WORDS: Record<LossPeriod, string> = {
  day: 'the risk day',
  week: 'the week (Monday 00:00 UTC)',
  month: 'the month (1st 00:00 UTC)',
};

/**
 * Rejects new exposure once the period's loss has reached its limit (>=: a limit is the loss at which trading
 * stops). Stateless: it measures the snapshot's equity history, so it holds in a replay exactly as live.
 */
function lossLimitRule(name: string, period: LossPeriod, limitKey: keyof RiskLimits): PreTradeRule {
  return {
    name,
    description: `loss since the start of ${PERIOD_WORDS[period]} must stay below ${limitKey}`,
    check(ctx) {
      if (!ctx.increasesExposure) return EXEMPT_REDUCING;
      const limit = ctx.limits[limitKey] as number;
      const loss = ctx.periodLosses[period];
      const value = loss.lossPct;
      if (reachesLimit(value, limit)) {
        return {
          pass: false,
          value,
          limit,
          reason: `loss since the start of ${PERIOD_WORDS[period]} is ${formatPct(value)} (equity ${ctx.snapshot.equity} from ${loss.startEquity}), at or beyond the limit ${formatPct(limit)}; only orders that reduce exposure are accepted`,
        };
      }
      return { pass: true, value, limit };
    },
  };
}

export const dailyLossLimitRule = lossLimitRule('daily-loss-limit', 'day', 'dailyLossLimitPct');
export const weeklyLossLimitRule = lossLimitRule('weekly-loss-limit', 'week', 'weeklyLossLimitPct');
export const monthlyLossLimitRule = lossLimitRule('monthly-loss-limit', 'month', 'monthlyLossLimitPct');
