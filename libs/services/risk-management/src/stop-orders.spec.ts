import { ValidationError } from '@rrr/core';
import {
  atrStopPrice,
  fixedStopPrice,
  protectiveOrders,
  stopLossOrder,
  takeProfitOrder,
  takeProfitPrice,
} from './stop-orders';

describe('stop and take-profit levels', () => {
  it('puts a fixed 2 % stop on the losing side and the 3:1 take-profit on the winning side', () => {
    expect(fixedStopPrice(100, 'long')).toBeCloseTo(98, 12);
    expect(fixedStopPrice(200, 'short')).toBeCloseTo(204, 12);
    expect(takeProfitPrice(100, 98)).toBeCloseTo(106, 12);
    expect(takeProfitPrice(200, 204)).toBeCloseTo(188, 12);
  });

  it('puts an ATR stop 2 × ATR away', () => {
    expect(atrStopPrice(15, 'long', 3.074074)).toBeCloseTo(8.851852, 6);
    expect(atrStopPrice(15, 'short', 1.5)).toBe(18);
    expect(() => atrStopPrice(5, 'long', 3)).toThrow(/stopPrice/);
  });
});

describe('protectiveOrders', () => {
  it('returns reduce-only stop and limit orders closing a long', () => {
    const p = protectiveOrders({ symbol: 'BTC-USD', quantity: 0.5, averagePrice: 100 });
    expect(p.stopPrice).toBeCloseTo(98, 12);
    expect(p.takeProfitPrice).toBeCloseTo(106, 12);
    expect(p.riskPerUnit).toBeCloseTo(2, 12);
    expect(p.stopLoss).toEqual({
      symbol: 'BTC-USD',
      side: 'sell',
      type: 'stop',
      quantity: 0.5,
      stopPrice: p.stopPrice,
      reduceOnly: true,
      timeInForce: 'GTC',
    });
    expect(p.takeProfit).toEqual({
      symbol: 'BTC-USD',
      side: 'sell',
      type: 'limit',
      quantity: 0.5,
      price: p.takeProfitPrice,
      reduceOnly: true,
      timeInForce: 'GTC',
    });
  });

  it('buys back a short, with the ATR of the bars given', () => {
    const bars = Array.from({ length: 15 }, (_, i) => ({ high: 201 + i, low: 199 + i, close: 200 + i }));
    const p = protectiveOrders({ symbol: 'ETH-USD', quantity: -5, averagePrice: 200 }, { method: 'atr', bars });
    // ATR(14) = 2, stop 200 + 2 × 2 = 204, take-profit 200 − 3 × 4 = 188.
    expect(p.stopPrice).toBeCloseTo(204, 12);
    expect(p.takeProfitPrice).toBeCloseTo(188, 12);
    expect(p.stopLoss).toMatchObject({ side: 'buy', type: 'stop', quantity: 5, reduceOnly: true });
    expect(p.takeProfit).toMatchObject({ side: 'buy', type: 'limit', quantity: 5, reduceOnly: true });
  });

  it('refuses a take-profit on the losing side and a flat position, naming the field', () => {
    expect(() => takeProfitOrder({ symbol: 'AAPL', quantity: 10, averagePrice: 100 }, 95)).toThrow(
      /price: must be above the entry price 100/,
    );
    expect(() => stopLossOrder({ symbol: 'AAPL', quantity: 0 }, 95)).toThrow(ValidationError);
  });

  it('lets a stop lock in profit above a long’s entry', () => {
    expect(stopLossOrder({ symbol: 'AAPL', quantity: 10 }, 105)).toMatchObject({ side: 'sell', stopPrice: 105 });
  });
});
