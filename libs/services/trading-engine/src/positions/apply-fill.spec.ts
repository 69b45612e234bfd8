import { signedQuantity, type Fill, type OrderSide } from '@rrr/core';
import fc from 'fast-check';
import { applyFill } from './apply-fill';
import { unrealizedPnl, type TradingPosition } from './trading-position';

const T0 = Date.UTC(2024, 0, 2);
let n = 0;
const fill = (side: OrderSide, quantity: number, price: number, fee = 0, ts = T0 + ++n): Fill => ({
  id: `F-${n}`,
  orderId: 'O-1',
  symbol: 'BTC-USD',
  side,
  quantity,
  price,
  fee,
  feeCurrency: 'USD',
  liquidity: 'taker',
  ts,
});

const run = (fills: Fill[]): TradingPosition =>
  fills.reduce<TradingPosition | undefined>((p, f) => applyFill(p, f), undefined) as TradingPosition;

describe('applyFill', () => {
  it('averages the entry price when adding and keeps it when reducing, realizing the difference', () => {
    const p1 = applyFill(undefined, fill('buy', 2, 100, 0.2, T0 + 1));
    expect(p1).toMatchObject({ quantity: 2, averagePrice: 100, realizedPnl: 0, feesPaid: 0.2, openedAt: T0 + 1 });
    const p2 = applyFill(p1, fill('buy', 1, 130));
    expect(p2.quantity).toBe(3);
    expect(p2.averagePrice).toBeCloseTo(110, 12);
    const p3 = applyFill(p2, fill('sell', 1, 140, 0.14));
    expect(p3).toMatchObject({ quantity: 2, openedAt: T0 + 1 });
    expect(p3.averagePrice).toBeCloseTo(110, 12);
    expect(p3.realizedPnl).toBeCloseTo(30, 12);
    expect(p3.feesPaid).toBeCloseTo(0.34, 12);
  });

  it('handles shorts: selling first opens a short, buying back below the entry realizes a gain', () => {
    const short = run([fill('sell', 4, 50), fill('buy', 1, 40)]);
    expect(short).toMatchObject({ quantity: -3, averagePrice: 50, realizedPnl: 10 });
    expect(unrealizedPnl(short, 45)).toBeCloseTo(15, 12);
  });

  it('goes flat exactly (average 0) when 0.1 + 0.2 closes 0.3', () => {
    const flat = run([fill('buy', 0.3, 100), fill('sell', 0.1, 110), fill('sell', 0.2, 120)]);
    expect(flat.quantity).toBe(0);
    expect(flat.averagePrice).toBe(0);
    expect(flat.realizedPnl).toBeCloseTo(0.1 * 10 + 0.2 * 20, 12);
  });

  it('flips through zero: realizes the whole old position and opens the rest at the fill price', () => {
    const flip = applyFill(run([fill('buy', 2, 100, 0, T0 + 1)]), fill('sell', 5, 90, 0, T0 + 50));
    expect(flip).toMatchObject({ quantity: -3, averagePrice: 90, realizedPnl: -20, openedAt: T0 + 50 });
  });

  it('refuses a fill of another symbol', () => {
    const p = run([fill('buy', 1, 100)]);
    expect(() => applyFill(p, { ...fill('buy', 1, 100), symbol: 'ETH-USD' })).toThrow(
      /must be the position's symbol BTC-USD/,
    );
  });

  const fillArb = fc.record({
    side: fc.constantFrom<OrderSide>('buy', 'sell'),
    quantity: fc.double({ min: 0.001, max: 100, noNaN: true }),
    price: fc.double({ min: 1, max: 1_000, noNaN: true }),
    fee: fc.double({ min: 0, max: 5, noNaN: true }),
  });

  it('property: quantity = Σ signed fills, fees = Σ fees, and realized + unrealized = Σ trading cash flows at a mark', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 1, maxLength: 40 }),
        fc.double({ min: 1, max: 1_000, noNaN: true }),
        (specs, mark) => {
          const fills = specs.map((s) => fill(s.side, s.quantity, s.price, s.fee));
          const position = run(fills);
          const signed = fills.reduce((q, f) => q + signedQuantity(f.side, f.quantity), 0);
          const scale = fills.reduce((q, f) => q + f.quantity, 0);
          expect(Math.abs(position.quantity - signed)).toBeLessThanOrEqual(1e-9 * scale);
          expect(position.feesPaid).toBeCloseTo(
            fills.reduce((s, f) => s + f.fee, 0),
            9,
          );
          // Trading P&L two ways: the position's books, and cash spent/received plus what is held at the mark.
          const cashFlow = fills.reduce((s, f) => s - signedQuantity(f.side, f.quantity) * f.price, 0);
          const viaCash = cashFlow + signed * mark;
          const viaBooks = position.realizedPnl + unrealizedPnl(position, mark);
          const notional = fills.reduce((s, f) => s + f.quantity * f.price, 0) + scale * mark;
          expect(Math.abs(viaBooks - viaCash)).toBeLessThanOrEqual(1e-9 * notional);
        },
      ),
    );
  });
});
