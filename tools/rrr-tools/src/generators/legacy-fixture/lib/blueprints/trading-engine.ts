import type { ServiceBlueprint } from '../service-blueprint';

const positionTracker = (withRealizedPnl: boolean): string => `import type { Fill } from '@shared/types';

export interface Position {
  symbol: string;
  /** Signed: negative when short. */
  quantity: number;
  averagePrice: number;
}

/** Cash and positions, updated fill by fill. */
export class PositionTracker {
  private readonly positions = new Map<string, Position>();${withRealizedPnl ? '\n  private realized = 0;' : ''}

  constructor(public cash: number) {}

  apply(fill: Fill): Position {
    const signed = fill.side === 'buy' ? fill.quantity : -fill.quantity;
    this.cash -= signed * fill.price + fill.fee;
    const current = this.positions.get(fill.symbol) ?? { symbol: fill.symbol, quantity: 0, averagePrice: 0 };
    const quantity = current.quantity + signed;
    const increasing = Math.sign(signed) === Math.sign(current.quantity) || current.quantity === 0;${
      withRealizedPnl
        ? `
    if (!increasing) this.realized += (fill.price - current.averagePrice) * Math.min(Math.abs(signed), Math.abs(current.quantity)) * Math.sign(current.quantity);`
        : ''
    }
    const averagePrice = quantity === 0 ? 0 : increasing ? (current.averagePrice * current.quantity + fill.price * signed) / quantity : current.averagePrice;
    const next = { symbol: fill.symbol, quantity, averagePrice };
    this.positions.set(fill.symbol, next);
    return next;
  }

  get(symbol: string): Position | undefined {
    return this.positions.get(symbol);
  }

  equity(prices: Record<string, number>): number {
    let value = this.cash;
    for (const position of this.positions.values()) value += position.quantity * (prices[position.symbol] ?? position.averagePrice);
    return value;
  }${
    withRealizedPnl
      ? `

  /** Profit realized by closing trades, before fees. */
  realizedPnl(): number {
    return this.realized;
  }`
      : ''
  }
}
`;

export const tradingEngineBlueprint: ServiceBlueprint = {
  folder: 'trading_engine',
  title: 'Trading engine',
  port: 8002,
  dependsOn: ['risk_management', 'api_integration'],
  aliasImport: { specifier: '@services/trading_engine/execution/paperExchange', name: 'TAKER_FEE', call: 'TAKER_FEE' },
  commits: [
    {
      message: 'engine: order manager guarded by pre-trade checks',
      files: {
        'src/orders/order_manager.ts': `import type { OrderRequest } from '@shared/types';
import { PortfolioView, checkOrder } from '@services/risk_management/checks/pre-trade-checks';
import { createLogger } from '../../../../src/core/logger';

export type OrderState = 'accepted' | 'rejected' | 'filled';

export interface ManagedOrder {
  request: OrderRequest;
  state: OrderState;
  reasons: string[];
}

export class OrderManager {
  private readonly orders = new Map<string, ManagedOrder>();
  readonly log = createLogger('trading_engine').child('oms');

  submit(request: OrderRequest, portfolio: PortfolioView): ManagedOrder {
    if (this.orders.has(request.id)) throw new Error('duplicate order id ' + request.id);
    const check = checkOrder(request, portfolio);
    const order: ManagedOrder = { request, state: check.approved ? 'accepted' : 'rejected', reasons: check.violations };
    this.orders.set(request.id, order);
    this.log.info('order ' + order.state, { id: request.id, reasons: check.violations });
    return order;
  }

  markFilled(id: string): ManagedOrder {
    const order = this.orders.get(id);
    if (!order) throw new Error('unknown order ' + id);
    if (order.state !== 'accepted') throw new Error('order ' + id + ' is ' + order.state + ', cannot fill');
    order.state = 'filled';
    return order;
  }

  list(state?: OrderState): ManagedOrder[] {
    return [...this.orders.values()].filter((order) => state === undefined || order.state === state);
  }
}
`,
        'src/index.ts': `export * from './orders/order_manager';
`,
      },
    },
    {
      message: 'engine: paper exchange with fees and slippage',
      files: {
        'src/execution/paperExchange.ts': `import type { Fill, OrderRequest } from '@shared/types';
import { Ticker, midPrice } from '../../../api_integration/src/clients/exchange-client';

export const TAKER_FEE = 0.001;
export const SLIPPAGE_BPS = 5;

/** Fills a market order against the touch, 5 bps worse, paying the 0.1% taker fee. */
export function executeMarket(order: OrderRequest, ticker: Ticker, time: number): Fill {
  const reference = order.side === 'buy' ? ticker.ask : ticker.bid;
  const slip = (reference * SLIPPAGE_BPS) / 10_000;
  const price = order.side === 'buy' ? reference + slip : reference - slip;
  return { orderId: order.id, symbol: order.symbol, side: order.side, quantity: order.quantity, price, fee: price * order.quantity * TAKER_FEE, time };
}

/** Cost of crossing the spread, relative to the mid. */
export function spreadCost(ticker: Ticker): number {
  return (ticker.ask - ticker.bid) / 2 / midPrice(ticker);
}
`,
        'src/portfolio/position-tracker.ts': positionTracker(false),
        'src/index.ts': `export * from './orders/order_manager';
export * from './execution/paperExchange';
export * from './portfolio/position-tracker';
`,
      },
    },
    {
      message: 'engine: unit tests, risk checks mocked',
      files: {
        'tests/order_manager.test.ts': `jest.mock('../../risk_management/src/checks/pre-trade-checks', () => ({
  checkOrder: jest.fn(() => ({ approved: false, violations: ['mocked: limits breached'] })),
}));

import { OrderManager } from '../src/orders/order_manager';

const portfolio = { equity: 1_000, openPositions: 0, dailyPnl: 0, prices: {} };

describe('OrderManager', () => {
  it('rejects what the risk checks reject, with their reasons', () => {
    const oms = new OrderManager();
    const order = oms.submit({ id: 'o1', symbol: 'ETH-USD', side: 'buy', quantity: 1 }, portfolio);
    expect(order.state).toBe('rejected');
    expect(order.reasons).toEqual(['mocked: limits breached']);
    expect(() => oms.markFilled('o1')).toThrow('order o1 is rejected, cannot fill');
  });

  it('refuses duplicate ids', () => {
    const oms = new OrderManager();
    oms.submit({ id: 'o2', symbol: 'ETH-USD', side: 'buy', quantity: 1 }, portfolio);
    expect(() => oms.submit({ id: 'o2', symbol: 'ETH-USD', side: 'buy', quantity: 1 }, portfolio)).toThrow('duplicate order id o2');
  });
});
`,
        'tests/paper_exchange.test.ts': `import { executeMarket, spreadCost } from '../src/execution/paperExchange';

describe('executeMarket', () => {
  const ticker = { symbol: 'BTC-USD', bid: 99, ask: 101, time: 0 };

  it('buys at the ask plus 5 bps and pays 0.1%', () => {
    const fill = executeMarket({ id: 'b', symbol: 'BTC-USD', side: 'buy', quantity: 2 }, ticker, 5);
    expect(fill.price).toBeCloseTo(101.0505);
    expect(fill.fee).toBeCloseTo(101.0505 * 2 * 0.001);
    expect(fill.time).toBe(5);
  });

  it('sells at the bid minus 5 bps', () => {
    expect(executeMarket({ id: 's', symbol: 'BTC-USD', side: 'sell', quantity: 1 }, ticker, 0).price).toBeCloseTo(98.9505);
  });

  it('measures half the spread against the mid', () => {
    expect(spreadCost(ticker)).toBeCloseTo(0.01);
  });
});
`,
        'tests/position-tracker.test.ts': `import { PositionTracker } from '../src/portfolio/position-tracker';

describe('PositionTracker', () => {
  it('moves cash and averages the entry price', () => {
    const tracker = new PositionTracker(10_000);
    tracker.apply({ orderId: '1', symbol: 'X', side: 'buy', quantity: 10, price: 100, fee: 1, time: 0 });
    const position = tracker.apply({ orderId: '2', symbol: 'X', side: 'buy', quantity: 10, price: 110, fee: 1, time: 1 });
    expect(position).toEqual({ symbol: 'X', quantity: 20, averagePrice: 105 });
    expect(tracker.cash).toBe(10_000 - 1_000 - 1 - 1_100 - 1);
    expect(tracker.equity({ X: 120 })).toBe(tracker.cash + 2_400);
  });

  it('keeps the entry price when reducing and resets when flat', () => {
    const tracker = new PositionTracker(0);
    tracker.apply({ orderId: '1', symbol: 'X', side: 'buy', quantity: 4, price: 50, fee: 0, time: 0 });
    expect(tracker.apply({ orderId: '2', symbol: 'X', side: 'sell', quantity: 1, price: 60, fee: 0, time: 1 }).averagePrice).toBe(50);
    expect(tracker.apply({ orderId: '3', symbol: 'X', side: 'sell', quantity: 3, price: 60, fee: 0, time: 2 })).toEqual({ symbol: 'X', quantity: 0, averagePrice: 0 });
  });
});
`,
      },
    },
  ],
  dirty: {
    modified: { 'src/portfolio/position-tracker.ts': positionTracker(true) },
    untracked: {
      'src/execution/slippage_model.ts': `import type { OrderRequest } from '@shared/types';

/** Work in progress: slippage that grows with order size relative to the bar volume. */
export function volumeSlippageBps(order: OrderRequest, barVolume: number, baseBps = 5): number {
  if (barVolume <= 0) return baseBps * 10;
  return baseBps * (1 + order.quantity / barVolume);
}
`,
    },
  },
};
