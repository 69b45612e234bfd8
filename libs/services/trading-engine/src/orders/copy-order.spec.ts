import { copyOrder } from './copy-order';
import type { OmsOrder } from './oms-order';

const T0 = Date.UTC(2024, 0, 2, 10);

const everyField: OmsOrder = {
  id: 'O-1',
  clientOrderId: 'c-1',
  symbol: 'BTC-USD',
  side: 'sell',
  type: 'stop-limit',
  quantity: 2,
  timeInForce: 'DAY',
  status: 'rejected',
  filledQuantity: 0,
  averageFillPrice: null,
  createdAt: T0,
  updatedAt: T0 + 5,
  version: 3,
  venue: 'paper',
  requestFingerprint: '[]',
  price: 39_000,
  stopPrice: 39_500,
  trailingPercent: 1,
  trailingAmount: 100,
  reduceOnly: true,
  bracket: { stopLoss: 38_000, takeProfit: 42_000 },
  rejectReason: 'no balance',
  exchangeOrderId: 'paper-O-1',
  strategyId: 'sma-cross(20,50)',
  parentId: 'O-0',
  bracketRole: 'stop-loss',
  expiresAt: T0 + 86_400_000,
  triggeredAt: T0 + 3,
  trailingReference: 40_100,
};

describe('copyOrder', () => {
  it('copies every field of an order into a new object', () => {
    const copy = copyOrder(everyField);
    expect(copy).toStrictEqual(everyField);
    expect(copy).not.toBe(everyField);
  });

  it('leaves out optional fields that are absent or undefined', () => {
    const { price: _price, ...withoutPrice } = everyField;
    const copy = copyOrder({ ...withoutPrice, stopPrice: undefined });
    expect('price' in copy).toBe(false);
    expect('stopPrice' in copy).toBe(false);
    expect(copy.trailingReference).toBe(40_100);
  });
});
