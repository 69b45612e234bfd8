import fc from 'fast-check';
import { ORDER_SIDES, isOrderSide, oppositeSide, signedQuantity } from './order-side';

describe('OrderSide helpers', () => {
  it('recognises exactly buy and sell', () => {
    expect(ORDER_SIDES.every(isOrderSide)).toBe(true);
    for (const v of ['BUY', 'Sell', 'long', '', null, 1]) expect(isOrderSide(v)).toBe(false);
  });

  it('flips the side', () => {
    expect(oppositeSide('buy')).toBe('sell');
    expect(oppositeSide('sell')).toBe('buy');
  });

  it('signs quantities as position changes', () => {
    expect(signedQuantity('buy', 2.5)).toBe(2.5);
    expect(signedQuantity('sell', 2.5)).toBe(-2.5);
    expect(Object.is(signedQuantity('sell', 0), 0)).toBe(true);
  });

  it('makes a trade and its reverse cancel out (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_SIDES), fc.double({ min: 0, max: 1e6, noNaN: true }), (side, qty) => {
        expect(signedQuantity(side, qty) + signedQuantity(oppositeSide(side), qty)).toBe(0);
        expect(Math.abs(signedQuantity(side, qty))).toBe(qty);
      }),
    );
  });
});
