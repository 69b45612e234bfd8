import {
  RiskRejectedError,
  validateOrderRequest,
  ValidationError,
  isValidSymbol,
  type FieldProblem,
  type OrderRequest,
} from '@rrr/core';
import { buildPreTradeContext } from './pre-trade-context';
import type { PreTradeRule, RuleOutcome } from './pre-trade-rule';
import { resolveRiskLimits, type RiskLimits } from './risk-limits';
import type { RiskSnapshot } from './risk-snapshot';
import type { TradingHalt } from './risk-control-event';
import { standardPreTradeRules } from './standard-pre-trade-rules';

export interface PreTradeRiskEngineOptions {
  /** Overrides of the legacy defaults; `config.risk` fits as is. */
  limits?: Partial<RiskLimits>;
  /** The tradable universe; an order for any other symbol is ORDER_INVALID. Omitted: every well-formed symbol. */
  knownSymbols?: Iterable<string>;
  /** Rejects new exposure while engaged (checked first). */
  killSwitch?: TradingHalt;
  /** Rejects new exposure while halted on a loss limit. */
  breaker?: TradingHalt;
  /** Replaces the standard rule set (then killSwitch / breaker are ignored unless the rules include them). */
  rules?: readonly PreTradeRule[];
}

export interface PreTradeEvaluation {
  approved: boolean;
  /** Every rule's outcome in evaluation order; empty when the order failed validation. */
  verdicts: RuleOutcome[];
  /**
   * ORDER_INVALID (ValidationError, naming each field) when the request is malformed or its symbol unknown;
   * RISK_REJECTED (RiskRejectedError, details `{ rule, reason, value, limit, violations }`) when a rule fails.
   */
  rejection?: ValidationError | RiskRejectedError;
}

/**
 * Runs every pre-trade rule over an order and a snapshot of the book. Pure with respect to the account: it keeps no
 * state of its own, reads time only from the snapshot, and never throws for a bad order (only for a malformed
 * snapshot, which is the caller's bug: a missing mark or a non-finite equity).
 */
export class PreTradeRiskEngine {
  readonly limits: Readonly<RiskLimits>;
  readonly rules: readonly PreTradeRule[];
  private readonly knownSymbols: ReadonlySet<string> | null;

  constructor(options: PreTradeRiskEngineOptions = {}) {
    this.limits = Object.freeze(resolveRiskLimits(options.limits));
    this.rules = Object.freeze([
      ...(options.rules ?? standardPreTradeRules({ killSwitch: options.killSwitch, breaker: options.breaker })),
    ]);
    this.knownSymbols = options.knownSymbols === undefined ? null : new Set(options.knownSymbols);
  }

  evaluate(order: OrderRequest, snapshot: RiskSnapshot): PreTradeEvaluation {
    const problems = validateOrderRequest(order);
    if (problems.length === 0) return this.check(order, snapshot);
    const universeProblem = this.universeProblem((order as { symbol?: unknown } | null)?.symbol);
    if (universeProblem !== undefined) problems.push(universeProblem);
    return invalid(problems);
  }

  /**
   * evaluate for a request that already passed validateOrderRequest, as the OMS's do: its rules and the universe
   * only, so an order on the hot path is not validated twice.
   */
  check(order: OrderRequest, snapshot: RiskSnapshot): PreTradeEvaluation {
    const universeProblem = this.universeProblem(order.symbol);
    if (universeProblem !== undefined) return invalid([universeProblem]);
    const ctx = buildPreTradeContext(order, snapshot, this.limits);
    const verdicts: RuleOutcome[] = [];
    const violations: { rule: string; reason: string; value: number; limit: number }[] = [];
    for (const rule of this.rules) {
      const verdict = rule.check(ctx);
      verdicts.push({ rule: rule.name, ...verdict });
      if (!verdict.pass) {
        violations.push({ rule: rule.name, reason: verdict.reason, value: verdict.value, limit: verdict.limit });
      }
    }
    const first = violations[0];
    if (first === undefined) return { approved: true, verdicts };
    return {
      approved: false,
      verdicts,
      rejection: new RiskRejectedError(first.rule, first.reason, {
        value: first.value,
        limit: first.limit,
        symbol: order.symbol,
        side: order.side,
        quantity: order.quantity,
        violations,
      }),
    };
  }

  private universeProblem(symbol: unknown): FieldProblem | undefined {
    if (this.knownSymbols === null || !isValidSymbol(symbol) || this.knownSymbols.has(symbol)) return undefined;
    return { field: 'symbol', message: 'is not a known symbol of the trading universe', value: symbol };
  }
}

function invalid(problems: FieldProblem[]): PreTradeEvaluation {
  return { approved: false, verdicts: [], rejection: new ValidationError('order request', problems, 'ORDER_INVALID') };
}
