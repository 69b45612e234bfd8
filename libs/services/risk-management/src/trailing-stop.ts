import { ValidationError, type OrderRequest, type TimeInForce } from '@rrr/core';
import { stopLossOrder, type PositionDirection } from './stop-orders';

/** The legacy trailing parameters (DESIGN.md): arm at +3 % favourable excursion, trail 1.5 % from the best price. */
export const DEFAULT_TRAILING_STOP = Object.freeze({ activationPct: 0.03, trailPct: 0.015 });

/** Everything a trailing stop is, as plain data: persist it with the position, restore it after a restart. */
export interface TrailingStopState {
  direction: PositionDirection;
  entryPrice: number;
  activationPct: number;
  trailPct: number;
  /** Most favourable price seen: the highest for a long, the lowest for a short. */
  bestPrice: number;
  armed: boolean;
  /** Null until armed. */
  stopPrice: number | null;
  triggered: boolean;
}

export interface TrailingStopUpdate {
  stopPrice: number | null;
  /** The stop moved (or was first set) on this update. */
  changed: boolean;
  armed: boolean;
  /** The price crossed the stop: the position should be closed. */
  triggered: boolean;
}

export interface TrailingStopOptions {
  direction: PositionDirection;
  entryPrice: number;
  activationPct?: number;
  trailPct?: number;
}

/**
 * waiting → armed (the best price has moved `activationPct` in favour of the position) → triggered (the price
 * crossed the stop). While armed the stop sits `trailPct` behind the best price and only ever moves in the
 * position's favour: up for a long, down for a short. After triggering the stop no longer moves.
 */
export class TrailingStop {
  private s: TrailingStopState;

  constructor(options: TrailingStopOptions) {
    const activationPct = options.activationPct ?? DEFAULT_TRAILING_STOP.activationPct;
    const trailPct = options.trailPct ?? DEFAULT_TRAILING_STOP.trailPct;
    checkPrice('entryPrice', options.entryPrice);
    if (options.direction !== 'long' && options.direction !== 'short') {
      throw new ValidationError('trailing stop', [
        { field: 'direction', message: 'must be "long" or "short"', value: options.direction },
      ]);
    }
    if (!(activationPct >= 0 && activationPct < 1)) {
      throw new ValidationError('trailing stop', [
        { field: 'activationPct', message: 'must be in [0, 1)', value: activationPct },
      ]);
    }
    if (!(trailPct > 0 && trailPct < 1)) {
      throw new ValidationError('trailing stop', [
        { field: 'trailPct', message: 'must be in (0, 1)', value: trailPct },
      ]);
    }
    this.s = {
      direction: options.direction,
      entryPrice: options.entryPrice,
      activationPct,
      trailPct,
      bestPrice: options.entryPrice,
      armed: false,
      stopPrice: null,
      triggered: false,
    };
  }

  static fromState(state: TrailingStopState): TrailingStop {
    const stop = new TrailingStop(state);
    stop.s = { ...state };
    return stop;
  }

  state(): TrailingStopState {
    return { ...this.s };
  }

  get stopPrice(): number | null {
    return this.s.stopPrice;
  }

  get armed(): boolean {
    return this.s.armed;
  }

  get triggered(): boolean {
    return this.s.triggered;
  }

  /** Feeds one observed price (a trade, a mark or a bar's extreme). */
  update(price: number): TrailingStopUpdate {
    checkPrice('price', price);
    const s = this.s;
    if (s.triggered) return this.result(false);
    const long = s.direction === 'long';
    if (long ? price > s.bestPrice : price < s.bestPrice) s.bestPrice = price;
    if (!s.armed) {
      const activation = long ? s.entryPrice * (1 + s.activationPct) : s.entryPrice * (1 - s.activationPct);
      s.armed = long ? s.bestPrice >= activation : s.bestPrice <= activation;
    }
    let changed = false;
    if (s.armed) {
      const candidate = long ? s.bestPrice * (1 - s.trailPct) : s.bestPrice * (1 + s.trailPct);
      if (s.stopPrice === null || (long ? candidate > s.stopPrice : candidate < s.stopPrice)) {
        s.stopPrice = candidate;
        changed = true;
      }
      const stop = s.stopPrice;
      s.triggered = long ? price <= stop : price >= stop;
    }
    return this.result(changed);
  }

  /**
   * The reduce-only stop order that enforces the current level, for the OMS to place or replace whenever `update`
   * reports a change; null while not armed.
   */
  toOrderRequest(
    symbol: string,
    quantity: number,
    options: { timeInForce?: TimeInForce; clientOrderId?: string } = {},
  ): OrderRequest | null {
    if (this.s.stopPrice === null) return null;
    const signed = this.s.direction === 'long' ? Math.abs(quantity) : -Math.abs(quantity);
    return stopLossOrder({ symbol, quantity: signed }, this.s.stopPrice, options);
  }

  private result(changed: boolean): TrailingStopUpdate {
    return { stopPrice: this.s.stopPrice, changed, armed: this.s.armed, triggered: this.s.triggered };
  }
}

function checkPrice(field: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ValidationError('trailing stop', [{ field, message: 'must be a finite price > 0', value }]);
  }
}
