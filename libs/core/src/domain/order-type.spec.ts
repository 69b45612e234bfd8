import { ORDER_TYPES, isOrderType, orderTypeTakesPrice, orderTypeTakesStopPrice } from './order-type';

describe('OrderType helpers', () => {
  it('recognises the five order types only', () => {
    expect(ORDER_TYPES.every(isOrderType)).toBe(true);
    for (const v of ['Market', 'stop_limit', 'stopLimit', 'trailing', '', undefined])
      expect(isOrderType(v)).toBe(false);
  });

  it('says which types take a limit price and which a stop price', () => {
    expect(ORDER_TYPES.filter(orderTypeTakesPrice)).toEqual(['limit', 'stop-limit']);
    expect(ORDER_TYPES.filter(orderTypeTakesStopPrice)).toEqual(['stop', 'stop-limit']);
  });
});
