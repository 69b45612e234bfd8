import {
  ConfigError,
  ConflictError,
  errorMessage,
  isRrrError,
  orderRemainingQuantity,
  type Clock,
  type FieldProblem,
  type Order,
  type OrderRequest,
} from '@rrr/core';
import {
  createExchangeClient,
  EXCHANGE_CREDENTIAL_ENV,
  readExchangeCredentials,
  type CreateExchangeClientOptions,
  type ExchangeClient,
  type ExchangeId,
} from '@rrr/api-integration';
import type {
  CancelAck,
  ExchangeAdapter,
  ExchangeCapabilities,
  ExecutionEvent,
  ExecutionListener,
  VenueAck,
} from '../exchange/exchange-adapter';
import type { OmsOrder } from '../orders/oms-order';
import type { Balances } from '../portfolio/balances';
import { symbolParts } from '../portfolio/symbol-parts';

/** What the adapter uses of an exchange client; api-integration's ExchangeClient fits. */
export type LiveExchangeClient = Pick<
  ExchangeClient,
  'id' | 'createOrder' | 'cancelOrder' | 'fetchOrder' | 'fetchBalance' | 'close'
>;

export interface LiveTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CcxtLiveAdapterOptions {
  exchange: ExchangeId;
  /** Must be exactly `true`: live trading sends real orders with real money (the CLI's `--live`). */
  live: boolean;
  /** Where credentials are read from (BINANCE_API_KEY / BINANCE_SECRET, COINBASE_…); process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  /** Default: createExchangeClient({ exchange, env, ...clientOptions }), closed on stop(). */
  client?: LiveExchangeClient;
  clientOptions?: Omit<CreateExchangeClientOptions, 'exchange' | 'env'>;
  /** How often working orders are polled for fills; default 2,000 ms. */
  pollIntervalMs?: number;
  /** Unified ccxt orders carry no commission: fees are estimated at this rate of notional; default 0.001. */
  estimatedFeeRate?: number;
  timers?: LiveTimers;
}

/**
 * The refusals, all at once: live trading needs `live: true` and both credential variables of the exchange. Returns
 * nothing; throws ConfigError (CONFIG_INVALID) whose problems name exactly what is missing.
 */
export function assertLiveTradingAllowed(options: Pick<CcxtLiveAdapterOptions, 'exchange' | 'live' | 'env'>): void {
  const problems: FieldProblem[] = [];
  if (options.live !== true) {
    problems.push({
      field: 'live',
      message: `must be true to trade on ${options.exchange} for real: confirm live trading explicitly (CLI: --live)`,
      value: options.live,
    });
  }
  const names = EXCHANGE_CREDENTIAL_ENV[options.exchange];
  if (names === undefined) {
    problems.push({ field: 'exchange', message: 'must be binance or coinbase', value: options.exchange });
  } else {
    const env = options.env ?? process.env;
    for (const name of [names.apiKey, names.secret]) {
      if (!env[name]?.trim()) {
        problems.push({
          field: name,
          message: `is not set: live trading on ${options.exchange} needs it in the environment`,
        });
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, `live trading on ${String(options.exchange)}`);
}

interface Tracked {
  order: OmsOrder;
  exchangeOrderId: string;
  /** Cumulative quantity and average price reported so far: each poll emits only the difference. */
  filled: number;
  average: number | null;
}

/**
 * A real venue through ccxt (api-integration's exchange client). It refuses to be built or started without an
 * explicit `live: true` and the exchange's credentials, naming what is missing. Orders go to the venue as they are
 * (client order id included, so a resend after a crash is recognised); fills are learned by polling working orders
 * and emitted as the difference in cumulative quantity, with fees estimated (unified orders carry none). The venue
 * has no native one-cancels-other for these orders: the engine cancels the other exit itself. Modify is not offered:
 * cancel and resubmit.
 */
export class CcxtLiveAdapter implements ExchangeAdapter {
  readonly venue: string;
  readonly capabilities: ExchangeCapabilities = { inProcess: false, nativeOco: false, modify: false };
  private readonly options: CcxtLiveAdapterOptions;
  private readonly client: LiveExchangeClient;
  private readonly ownsClient: boolean;
  private readonly timers: LiveTimers;
  private listener: ExecutionListener = () => undefined;
  private readonly tracked = new Map<string, Tracked>();
  private timer: unknown;
  private running = false;
  private polling: Promise<void> | undefined;

  constructor(options: CcxtLiveAdapterOptions) {
    assertLiveTradingAllowed(options);
    this.options = options;
    this.venue = options.exchange;
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      createExchangeClient({ ...options.clientOptions, exchange: options.exchange, env: options.env });
    this.timers = options.timers ?? {
      setTimeout: (callback, ms) => {
        const handle = setTimeout(callback, ms);
        handle.unref();
        return handle;
      },
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }

  setListener(listener: ExecutionListener): void {
    this.listener = listener;
  }

  /** Checks again, then proves the credentials work (a balance request) before any order can be sent. */
  async start(): Promise<void> {
    assertLiveTradingAllowed(this.options);
    if (readExchangeCredentials(this.options.exchange, this.options.env ?? process.env) === undefined) {
      throw new ConfigError([{ field: 'credentials', message: 'are incomplete' }], `live trading on ${this.venue}`);
    }
    await this.client.fetchBalance();
    this.running = true;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
    if (this.ownsClient) await this.client.close();
  }

  async submit(order: OmsOrder): Promise<VenueAck> {
    let placed: Order;
    try {
      placed = await this.client.createOrder(toRequest(order));
    } catch (error) {
      if (isRrrError(error) && ['ORDER_INVALID', 'VALIDATION_FAILED', 'FORBIDDEN'].includes(error.code)) {
        return { accepted: false, ts: this.options.clock.now(), reason: error.message };
      }
      throw error;
    }
    const tracked: Tracked = { order, exchangeOrderId: placed.id, filled: 0, average: null };
    this.tracked.set(order.id, tracked);
    // After the acknowledgement: an order that filled on arrival reports its fills once the engine has it accepted.
    setImmediate(() => this.reconcile(tracked, placed));
    return { accepted: true, ts: this.options.clock.now(), exchangeOrderId: placed.id };
  }

  async cancel(order: OmsOrder): Promise<CancelAck> {
    const tracked = this.tracked.get(order.id);
    const ts = this.options.clock.now();
    if (tracked === undefined)
      return { cancelled: false, ts, reason: `order ${order.id} is not working at ${this.venue}` };
    try {
      const result = await this.client.cancelOrder(tracked.exchangeOrderId, order.symbol);
      this.emitFills(tracked, result);
      this.tracked.delete(order.id);
      return { cancelled: true, ts: this.options.clock.now() };
    } catch (error) {
      return { cancelled: false, ts, reason: errorMessage(error) };
    }
  }

  async modify(order: OmsOrder): Promise<void> {
    throw new ConflictError(`${this.venue} orders cannot be modified in place: cancel ${order.id} and resubmit`, {
      orderId: order.id,
    });
  }

  async restore(workingOrders: readonly OmsOrder[], _balances: Readonly<Balances>): Promise<void> {
    for (const order of workingOrders) {
      if (order.venue !== this.venue || order.exchangeOrderId === undefined) continue;
      this.tracked.set(order.id, {
        order,
        exchangeOrderId: order.exchangeOrderId,
        filled: order.filledQuantity,
        average: order.averageFillPrice,
      });
    }
  }

  /** Polls every working order once; the timer calls it, tests may too. */
  async pollNow(): Promise<void> {
    for (const tracked of [...this.tracked.values()]) {
      const current = await this.client.fetchOrder(tracked.exchangeOrderId, tracked.order.symbol);
      this.reconcile(tracked, current);
    }
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.timers.setTimeout(() => {
      this.polling = this.pollNow()
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, this.options.pollIntervalMs ?? 2_000);
  }

  private reconcile(tracked: Tracked, venueOrder: Order): void {
    this.emitFills(tracked, venueOrder);
    const ts = this.options.clock.now();
    const emit = (event: ExecutionEvent) => this.listener(event);
    switch (venueOrder.status) {
      case 'filled':
        this.tracked.delete(tracked.order.id);
        break;
      case 'cancelled':
        this.tracked.delete(tracked.order.id);
        emit({ type: 'cancelled', orderId: tracked.order.id, ts, reason: `cancelled at ${this.venue}` });
        break;
      case 'expired':
        this.tracked.delete(tracked.order.id);
        emit({ type: 'expired', orderId: tracked.order.id, ts });
        break;
      case 'rejected':
        this.tracked.delete(tracked.order.id);
        emit({ type: 'rejected', orderId: tracked.order.id, ts, reason: `rejected by ${this.venue}` });
        break;
      default:
        break;
    }
  }

  /** Emits the quantity filled since the last report, at the price that moves the average from old to new. */
  private emitFills(tracked: Tracked, venueOrder: Order): void {
    const filled = Math.min(venueOrder.filledQuantity, tracked.order.quantity);
    const delta = filled - tracked.filled;
    if (!(delta > 0) || venueOrder.averageFillPrice === null) return;
    const average = venueOrder.averageFillPrice;
    const price = tracked.average === null ? average : (average * filled - tracked.average * tracked.filled) / delta;
    tracked.filled = filled;
    tracked.average = average;
    const remaining = orderRemainingQuantity({ quantity: tracked.order.quantity, filledQuantity: filled });
    this.listener({
      type: 'fill',
      execution: {
        orderId: tracked.order.id,
        // The last fill completes the order exactly, whatever rounding the venue's figures carry.
        quantity: remaining === 0 ? delta + (tracked.order.quantity - filled) : delta,
        price,
        fee: delta * price * (this.options.estimatedFeeRate ?? 0.001),
        feeCurrency: symbolParts(tracked.order.symbol).quote,
        liquidity: 'taker',
        ts: Math.max(venueOrder.updatedAt, tracked.order.createdAt),
      },
    });
  }
}

function toRequest(order: OmsOrder): OrderRequest {
  return {
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    ...(order.price === undefined ? {} : { price: order.price }),
    ...(order.stopPrice === undefined ? {} : { stopPrice: order.stopPrice }),
    ...(order.trailingPercent === undefined ? {} : { trailingPercent: order.trailingPercent }),
    ...(order.trailingAmount === undefined ? {} : { trailingAmount: order.trailingAmount }),
    timeInForce: order.timeInForce,
    ...(order.reduceOnly === true ? { reduceOnly: true } : {}),
    clientOrderId: order.clientOrderId,
  };
}
