import type { Order as CcxtOrder } from 'ccxt';
import { ccxtOrderToOrder, orderRequestToCcxt } from './ccxt-order-mapping';

function ccxtOrder(overrides: Partial<CcxtOrder>): CcxtOrder {
  return {
    id: '42',
    clientOrderId: 'c-42',
    datetime: undefined,
    timestamp: 1_000,
    lastTradeTimestamp: undefined,
    lastUpdateTimestamp: 2_000,
    status: 'open',
    symbol: 'BTC/USDT',
    type: 'limit',
    timeInForce: 'GTC',
    side: 'buy',
    price: 50_000,
    average: undefined,
    amount: 2,
    filled: 0,
    remaining: 2,
    cost: 0,
    trades: [],
    fee: { cost: undefined, currency: undefined },
    reduceOnly: undefined,
    postOnly: false,
    info: {},
    ...overrides,
  } as CcxtOrder;
}

describe('ccxt order mapping', () => {
  it('turns order requests into ccxt arguments', () => {
    expect(orderRequestToCcxt({ symbol: 'BTC-USDT', side: 'buy', type: 'market', quantity: 0.5 })).toEqual({
      symbol: 'BTC/USDT',
      type: 'market',
      side: 'buy',
      amount: 0.5,
      price: undefined,
      params: {},
    });
    expect(
      orderRequestToCcxt({
        symbol: 'ETH/USDT',
        side: 'sell',
        type: 'stop-limit',
        quantity: 1,
        price: 2_900,
        stopPrice: 2_950,
        timeInForce: 'IOC',
        clientOrderId: 'x1',
      }),
    ).toEqual({
      symbol: 'ETH/USDT',
      type: 'limit',
      side: 'sell',
      amount: 1,
      price: 2_900,
      params: { triggerPrice: 2_950, clientOrderId: 'x1', timeInForce: 'IOC' },
    });
    expect(
      orderRequestToCcxt({ symbol: 'BTC-USDT', side: 'sell', type: 'stop', quantity: 1, stopPrice: 40_000 }),
    ).toMatchObject({
      type: 'market',
      params: { triggerPrice: 40_000 },
    });
  });

  it('refuses invalid and unsupported requests with ORDER_INVALID', () => {
    expect(() => orderRequestToCcxt({ symbol: 'BTC-USDT', side: 'buy', type: 'limit', quantity: 1 })).toThrow(
      /price: is required/,
    );
    expect(() =>
      orderRequestToCcxt({
        symbol: 'BTC-USDT',
        side: 'buy',
        type: 'limit',
        quantity: 1,
        price: 10,
        bracket: { takeProfit: 20 },
      }),
    ).toThrow(/bracket: bracket orders are not supported/);
  });

  it('maps statuses and fill progress', () => {
    expect(ccxtOrderToOrder(ccxtOrder({}), 'BTC-USDT', 'binance', 5)).toEqual({
      id: '42',
      clientOrderId: 'c-42',
      symbol: 'BTC-USDT',
      side: 'buy',
      type: 'limit',
      quantity: 2,
      price: 50_000,
      timeInForce: 'GTC',
      status: 'accepted',
      filledQuantity: 0,
      averageFillPrice: null,
      createdAt: 1_000,
      updatedAt: 2_000,
    });
    expect(ccxtOrderToOrder(ccxtOrder({ filled: 0.5, cost: 25_100 }), 'BTC-USDT', 'binance', 5)).toMatchObject({
      status: 'partially-filled',
      filledQuantity: 0.5,
      averageFillPrice: 50_200,
    });
    expect(
      ccxtOrderToOrder(ccxtOrder({ status: 'closed', filled: 2, average: 49_990 }), 'BTC-USDT', 'binance', 5).status,
    ).toBe('filled');
    expect(
      ccxtOrderToOrder(ccxtOrder({ status: 'closed', filled: 1, average: 49_990 }), 'BTC-USDT', 'binance', 5).status,
    ).toBe('cancelled');
    expect(ccxtOrderToOrder(ccxtOrder({ status: 'canceled' }), 'BTC-USDT', 'binance', 5).status).toBe('cancelled');
    expect(ccxtOrderToOrder(ccxtOrder({ status: 'expired' }), 'BTC-USDT', 'binance', 5).status).toBe('expired');
    expect(
      ccxtOrderToOrder(
        ccxtOrder({ type: 'market', price: 0, triggerPrice: 45_000, timestamp: undefined }),
        'BTC-USDT',
        'binance',
        7,
      ),
    ).toMatchObject({ type: 'stop', stopPrice: 45_000, createdAt: 7 });
  });

  it('refuses a venue answer that is not a consistent order', () => {
    expect(() => ccxtOrderToOrder(ccxtOrder({ filled: 3, cost: 150_000 }), 'BTC-USDT', 'binance', 5)).toThrow(
      /^binance order "42": filledQuantity: must be <= quantity = 2/,
    );
  });
});
