import {
  ConflictError,
  DOMAIN_LIMITS,
  oppositeSide,
  toIso,
  ValidationError,
  type Clock,
  type OrderRequest,
} from '@rrr/core';
import type { HaltStatus, RiskControlEvent, RiskControlListener, TradingHalt } from './risk-control-event';
import { isWorkingOrder, workingQuantity, type RiskOpenOrder, type RiskPosition } from './risk-snapshot';

/** What the OMS must do when the kill switch is engaged, in order: cancels first, then the flattening orders. */
export type KillSwitchAction =
  | { kind: 'cancel-order'; orderId?: string; clientOrderId?: string; symbol: string }
  | { kind: 'submit-order'; order: OrderRequest };

export interface KillSwitchEngageRequest {
  /** Also close every position with reduce-only market orders. */
  flatten: boolean;
  reason: string;
  by: string;
  positions: readonly RiskPosition[];
  openOrders: readonly RiskOpenOrder[];
}

export interface KillSwitchStatus {
  engaged: boolean;
  engagedAt: number | null;
  by: string | null;
  reason: string | null;
  flatten: boolean;
}

export interface KillSwitchDeps {
  clock: Clock;
  onEvent?: RiskControlListener;
}

/**
 * The operator's stop button. `engage` returns what the OMS must execute — cancel every working order and, when
 * asked, flatten every position — and from then on blocks new exposure (through `haltStatus`) until `release`.
 * It issues no I/O itself, so the same switch works in a backtest and live.
 */
export class KillSwitch implements TradingHalt {
  private readonly clock: Clock;
  private readonly onEvent: RiskControlListener;
  private current: KillSwitchStatus = { engaged: false, engagedAt: null, by: null, reason: null, flatten: false };

  constructor(deps: KillSwitchDeps) {
    this.clock = deps.clock;
    this.onEvent = deps.onEvent ?? (() => undefined);
  }

  get engaged(): boolean {
    return this.current.engaged;
  }

  status(): KillSwitchStatus {
    return { ...this.current };
  }

  /**
   * Takes back a state recorded before a restart (an engaged switch stays engaged across restarts), without an event:
   * the engagement was announced when it happened, and its orders were executed then.
   */
  restore(status: KillSwitchStatus): void {
    this.current = status.engaged
      ? { ...status }
      : { engaged: false, engagedAt: null, by: null, reason: null, flatten: false };
  }

  /**
   * Engages (or re-engages, which re-issues the actions for the book given) and returns the actions. Positions
   * smaller than the minimum order quantity cannot be ordered away; they are named in the event's `dust`.
   */
  engage(request: KillSwitchEngageRequest): KillSwitchAction[] {
    const now = this.clock.now();
    const actions: KillSwitchAction[] = [];
    request.openOrders.forEach((order, index) => {
      if (!isWorkingOrder(order) || workingQuantity(order) === 0) return;
      if (order.id === undefined && order.clientOrderId === undefined) {
        throw new ValidationError('kill switch', [
          {
            field: `openOrders[${index}].id`,
            message: 'a working order needs an id or a clientOrderId to be cancelled',
          },
        ]);
      }
      actions.push({
        kind: 'cancel-order',
        ...(order.id === undefined ? {} : { orderId: order.id }),
        ...(order.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId }),
        symbol: order.symbol,
      });
    });
    const dust: { symbol: string; quantity: number }[] = [];
    if (request.flatten) {
      let n = 0;
      for (const position of request.positions) {
        const size = Math.abs(position.quantity);
        if (size === 0) continue;
        if (size < DOMAIN_LIMITS.orderQuantityMin) {
          dust.push({ symbol: position.symbol, quantity: position.quantity });
          continue;
        }
        const side = oppositeSide(position.quantity > 0 ? 'buy' : 'sell');
        // Orders are capped at the domain maximum quantity: a larger position is closed in several orders.
        for (let left = size; left > 0; left -= DOMAIN_LIMITS.orderQuantityMax) {
          const quantity = Math.min(left, DOMAIN_LIMITS.orderQuantityMax);
          if (quantity < DOMAIN_LIMITS.orderQuantityMin) {
            dust.push({ symbol: position.symbol, quantity: position.quantity > 0 ? quantity : -quantity });
            break;
          }
          n += 1;
          actions.push({
            kind: 'submit-order',
            order: {
              symbol: position.symbol,
              side,
              type: 'market',
              quantity,
              reduceOnly: true,
              clientOrderId: `kill-${now}-${n}`,
            },
          });
        }
      }
    }
    this.current = { engaged: true, engagedAt: now, by: request.by, reason: request.reason, flatten: request.flatten };
    const cancels = actions.filter((a) => a.kind === 'cancel-order').length;
    this.emit({
      type: 'kill-switch.engaged',
      ts: now,
      rule: 'kill-switch',
      actor: request.by,
      value: 1,
      limit: 0,
      message: `kill switch engaged by ${request.by}: ${request.reason}; ${cancels} order(s) to cancel, ${actions.length - cancels} flattening order(s)`,
      details: { flatten: request.flatten, actions: actions.length, cancels, dust },
    });
    return actions;
  }

  release(by: string, note?: string): KillSwitchStatus {
    if (!this.current.engaged) throw new ConflictError('kill switch is not engaged: nothing to release');
    const now = this.clock.now();
    const was = this.current;
    this.current = { engaged: false, engagedAt: null, by: null, reason: null, flatten: false };
    this.emit({
      type: 'kill-switch.released',
      ts: now,
      rule: 'kill-switch',
      actor: by,
      message: `kill switch released by ${by} (engaged by ${was.by} at ${toIso(was.engagedAt ?? now)})${note ? `: ${note}` : ''}`,
      ...(note === undefined ? {} : { details: { note } }),
    });
    return this.status();
  }

  haltStatus(): HaltStatus {
    const c = this.current;
    if (!c.engaged) return { halted: false };
    return {
      halted: true,
      value: 1,
      limit: 0,
      reason: `kill switch engaged by ${c.by} at ${toIso(c.engagedAt ?? 0)} (${c.reason}); only orders that reduce exposure are accepted until it is released`,
    };
  }

  private emit(event: RiskControlEvent): void {
    this.onEvent(event);
  }
}
