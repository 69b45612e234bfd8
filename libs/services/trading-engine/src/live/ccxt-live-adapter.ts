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
  type ExchangeBalance,
  type ExchangeClient,
  type ExchangeId,
} from '@rrr/api-integration';
import type {
  CancelAck,
  ExchangeAdapter,
  ExchangeCapabilities,
  ExecutionEvent,
  ExecutionListener,
  LedgerAtStart,
  VenueAck,
} from '../exchange/exchange-adapter';
import type { TradingLogger } from '../oms/order-manager';
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
  /** Must be exactly `true`: live trading sends real orders with real money (the platform's `trading.live`). */
  live: boolean;
  /** Where credentials are read from (BINANCE_API_KEY / BINANCE_SECRET, COINBASE_…); process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  /**
   * A client someone else owns (the platform passes api-integration's shared one), left open on stop(). Default: a
   * client of the adapter's own, createExchangeClient({ exchange, env, ...clientOptions }), closed on stop().
   */
  client?: LiveExchangeClient;
  clientOptions?: Omit<CreateExchangeClientOptions, 'exchange' | 'env'>;
  /** How often working orders are polled for fills; default 2,000 ms. */
  pollIntervalMs?: number;
  /** Unified ccxt orders carry no commission: fees are estimated at this rate of notional; default 0.001. */
  estimatedFeeRate?: number;
  timers?: LiveTimers;
  /** Told when a restored ledger's cash is more than the venue holds free (see restore); default: silent. */
  logger?: Pick<TradingLogger, 'warn'>;
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
      message: `must be true to trade on ${options.exchange} for real: confirm live trading explicitly with trading.live: true`,
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
  private reported: Balances | undefined;

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

  /**
   * The free amount of each asset the venue reported at the last start() (assets it reports none of left out):
   * what the account could spend then, next to the engine's ledger, which holds only the engine's share of it.
   */
  balancesAtStart(): Balances {
    if (this.reported === undefined) {
      throw new ConflictError(`the balances at ${this.venue} are known once start() has asked for them`);
    }
    return { ...this.reported };
  }

  setListener(listener: ExecutionListener): void {
    this.listener = listener;
  }

  /**
   * Checks again, then proves the credentials work with a balance request before any order can be sent; what it
   * reports is kept (`balancesAtStart`) for restore() to check the engine's ledger against.
   */
  async start(): Promise<void> {
    assertLiveTradingAllowed(this.options);
    if (readExchangeCredentials(this.options.exchange, this.options.env ?? process.env) === undefined) {
      throw new ConfigError([{ field: 'credentials', message: 'are incomplete' }], `live trading on ${this.venue}`);
    }
    this.reported = spendableBalances(await this.client.fetchBalance());
    this.running = true;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.halt();
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

  /**
   * Tracks the engine's working orders here again, after checking that the account holds the ledger's cash. On a
   * first start the ledger is the engine's capital, which must be free at the venue: less refuses the start
   * (CONFIG_INVALID naming trading.capital) before any order is sent. On a restart, the engine's working buy orders
   * lock part of the ledger's cash at the venue, which does not count it as free: less then only logs a warning.
   */
  async restore(
    workingOrders: readonly OmsOrder[],
    balances: Readonly<Balances>,
    ledger: LedgerAtStart,
  ): Promise<void> {
    const cash = balances[ledger.currency] ?? 0;
    const free = this.balancesAtStart()[ledger.currency] ?? 0;
    if (free < cash) {
      if (ledger.firstStart) {
        // The engine does not stop a venue whose start it then abandons: no poll may outlive the refusal.
        this.halt();
        throw new ConfigError(
          [
            {
              field: 'trading.capital',
              message: `asks for ${cash} ${ledger.currency}, but ${this.venue} holds ${free} ${ledger.currency} free`,
              value: cash,
            },
          ],
          `live trading on ${this.venue}`,
        );
      }
      this.options.logger?.warn(
        { venue: this.venue, currency: ledger.currency, free, ledgerCash: cash },
        `${this.venue} holds less ${ledger.currency} free than the engine's ledger: its working orders should ` +
          'lock the rest; if they do not, the account changed outside the engine',
      );
    }
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

  private halt(): void {
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.timers.setTimeout(() => {
      // A failed poll is tried again at the next interval; said, since fills go unseen meanwhile.
      this.polling = this.pollNow()
        .catch((error: unknown) =>
          this.options.logger?.warn(
            { venue: this.venue, err: error },
            `could not poll working orders at ${this.venue}`,
          ),
        )
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

function spendableBalances(reported: Readonly<Record<string, ExchangeBalance>>): Balances {
  const balances: Balances = {};
  for (const [asset, balance] of Object.entries(reported)) if (balance.free !== 0) balances[asset] = balance.free;
  return balances;
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
