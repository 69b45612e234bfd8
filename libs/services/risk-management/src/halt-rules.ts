import { EXEMPT_REDUCING, type PreTradeRule } from './pre-trade-rule';
import type { TradingHalt } from './risk-control-event';

/** A pre-trade rule that rejects every order adding exposure while `halt` is engaged. */
export function haltRule(name: string, halt: TradingHalt): PreTradeRule {
  return {
    name,
    description: `no new exposure while the ${name} is engaged`,
    check(ctx) {
      const status = halt.haltStatus();
      if (!status.halted) return { pass: true, value: 0, limit: 0 };
      if (!ctx.increasesExposure) return EXEMPT_REDUCING;
      return { pass: false, reason: status.reason, value: status.value, limit: status.limit };
    },
  };
}
