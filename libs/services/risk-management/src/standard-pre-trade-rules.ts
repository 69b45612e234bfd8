import {
  maxConcentrationRule,
  maxLeverageRule,
  maxOpenPositionsRule,
  maxOrderNotionalRule,
  maxPositionRule,
} from './exposure-rules';
import { haltRule } from './halt-rules';
import { dailyLossLimitRule, monthlyLossLimitRule, weeklyLossLimitRule } from './loss-limit-rules';
import type { PreTradeRule } from './pre-trade-rule';
import type { TradingHalt } from './risk-control-event';

export interface StandardRuleControls {
  killSwitch?: TradingHalt;
  breaker?: TradingHalt;
}

/**
 * The platform's pre-trade rules in evaluation order: the halts first (their reasons say most about why nothing
 * trades), then the order itself, then the book. The first failing rule is the one a rejection is named after.
 */
export function standardPreTradeRules(controls: StandardRuleControls = {}): PreTradeRule[] {
  const rules: PreTradeRule[] = [];
  if (controls.killSwitch) rules.push(haltRule('kill-switch', controls.killSwitch));
  if (controls.breaker) rules.push(haltRule('circuit-breaker', controls.breaker));
  rules.push(
    maxOrderNotionalRule,
    maxPositionRule,
    maxOpenPositionsRule,
    maxLeverageRule,
    maxConcentrationRule,
    dailyLossLimitRule,
    weeklyLossLimitRule,
    monthlyLossLimitRule,
  );
  return rules;
}
