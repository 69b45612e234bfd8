import { signedQuantity, type Fill, type OrderSide } from '@rrr/core';
import fc from 'fast-check';
import { fillBalanceChanges } from './balances';
import { Portfolio } from './portfolio';

const T0 = Date.UTC(2024, 0, 2);
const SYMBOLS = ['BTC-USD', 'ETH-USD', 'SPX'] as const;
let seq = 0;

const fill = (symbol: string, side: OrderSide, quantity: number, price: number, fee: number): Fill => ({
  id: `F-${++seq}`,
  orderId: `O-${seq}`,
  symbol,
  side,
  quantity,
  price,
  fee,
  feeCurrency: 'USD',
  liquidity: 'taker',
  ts: T0 + seq,
});

const fillArb: fc.Arbitrary<FillSpec> = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom<OrderSide>('buy', 'sell'),
  quantity: fc.double({ min: 0.001, max: 50, noNaN: true }),
  price: fc.double({ min: 1, max: 5_000, noNaN: true }),
  feeRate: fc.double({ min: 0, max: 0.01, noNaN: true }),
});
const marksArb = fc.record({
  'BTC-USD': fc.double({ min: 1, max: 5_000, noNaN: true }),
  'ETH-USD': fc.double({ min: 1, max: 5_000, noNaN: true }),
  SPX: fc.double({ min: 1, max: 5_000, noNaN: true }),
});

interface FillSpec {
  symbol: string;
  side: OrderSide;
  quantity: number;
  price: number;
  feeRate: number;
}

function replay(specs: readonly FillSpec[]): { portfolio: Portfolio; fills: Fill[] } {
  const portfolio = new Portfolio({ quoteCurrency: 'USD', initialCash: 100_000 });
  const fills = specs.map((s) => fill(s.symbol, s.side, s.quantity, s.price, s.quantity * s.price * s.feeRate));
  for (const f of fills) portfolio.applyFill(f);
  return { portfolio, fills };
}

const tolerance = (fills: Fill[]): number =>
  1e-9 * (100_000 + fills.reduce((s, f) => s + f.quantity * f.price * 10, 0));

describe('Portfolio', () => {
  it('moves both assets of a pair: a BTC-USD buy debits cost + fee in USD and credits the BTC bought', () => {
    const portfolio = new Portfolio({ quoteCurrency: 'USD', initialCash: 100_000 });
    portfolio.applyFill(fill('BTC-USD', 'buy', 0.5, 40_000, 20));
    expect(portfolio.balances()).toEqual({ USD: 100_000 - 20_000 - 20, BTC: 0.5 });
    portfolio.applyFill(fill('BTC-USD', 'sell', 0.2, 45_000, 9));
    expect(portfolio.balances()).toEqual({ USD: 100_000 - 20_020 + 9_000 - 9, BTC: 0.3 });
    expect(portfolio.cash).toBe(100_000 - 20_020 + 9_000 - 9);
    expect(fillBalanceChanges(fill('SPX', 'sell', 2, 5_000, 1))).toEqual({ USD: 9_999, SPX: -2 });
  });

  it('values at marks: equity, exposure gross/net, leverage, drawdown, returns', () => {
    const portfolio = new Portfolio({ quoteCurrency: 'USD', initialCash: 10_000 });
    portfolio.applyFill(fill('BTC-USD', 'buy', 0.1, 50_000, 0));
    portfolio.applyFill(fill('ETH-USD', 'sell', 1, 3_000, 0));
    portfolio.mark('BTC-USD', 55_000);
    portfolio.mark('ETH-USD', 2_500);
    const v = portfolio.valuation();
    expect(v.cash).toBe(10_000 - 5_000 + 3_000);
    expect(v.positionsValue).toBe(5_500 - 2_500);
    expect(v.equity).toBe(11_000);
    expect(v.grossExposure).toBe(8_000);
    expect(v.netExposure).toBe(3_000);
    expect(v.leverage).toBeCloseTo(8_000 / 11_000, 12);
    expect(v.unrealizedPnl).toBe(500 + 500);
    portfolio.recordEquity(T0 + 1);
    portfolio.mark('BTC-USD', 44_000);
    portfolio.recordEquity(T0 + 2);
    expect(portfolio.returns()).toEqual([{ ts: T0 + 2, return: 9_900 / 11_000 - 1 }]);
    expect(portfolio.snapshot(T0 + 2).drawdown).toBeCloseTo(1_100 / 11_000, 12);
    expect(portfolio.snapshot(T0 + 2).positions.map((p) => p.symbol)).toEqual(['BTC-USD', 'ETH-USD']);
  });

  it('property: equity = cash + Σ positions at mark', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 40 }), marksArb, (specs, marks) => {
        const { portfolio, fills } = replay(specs);
        for (const [symbol, price] of Object.entries(marks)) portfolio.mark(symbol, price);
        const v = portfolio.valuation();
        const held = portfolio.positions().reduce((s, p) => s + p.quantity * marks[p.symbol as keyof typeof marks], 0);
        expect(Math.abs(v.equity - (portfolio.cash + held))).toBeLessThanOrEqual(tolerance(fills));
      }),
    );
  });

  it('property: each position quantity = Σ signed fills = the base balance of its asset', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 40 }), (specs) => {
        const { portfolio, fills } = replay(specs);
        for (const symbol of SYMBOLS) {
          const signed = fills
            .filter((f) => f.symbol === symbol)
            .reduce((q, f) => q + signedQuantity(f.side, f.quantity), 0);
          const scale = 1e-9 * fills.reduce((q, f) => q + f.quantity, 1);
          expect(Math.abs(portfolio.quantity(symbol) - signed)).toBeLessThanOrEqual(scale);
          expect(Math.abs(portfolio.balance(symbol.split('-')[0]) - signed)).toBeLessThanOrEqual(scale);
        }
      }),
    );
  });

  it('property: fees are accounted for exactly once — equity = initial + realized + unrealized − fees', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 40 }), marksArb, (specs, marks) => {
        const { portfolio, fills } = replay(specs);
        for (const [symbol, price] of Object.entries(marks)) portfolio.mark(symbol, price);
        const v = portfolio.valuation();
        const fees = fills.reduce((s, f) => s + f.fee, 0);
        expect(Math.abs(v.feesPaid - fees)).toBeLessThanOrEqual(1e-9 * (1 + fees));
        const viaPnl = 100_000 + v.realizedPnl + v.unrealizedPnl - v.feesPaid;
        expect(Math.abs(v.equity - viaPnl)).toBeLessThanOrEqual(tolerance(fills));
        // Counting the fees a second time (or not at all) would be off by Σ fees.
        if (fees > tolerance(fills) * 10)
          expect(Math.abs(v.equity - (viaPnl - fees))).toBeGreaterThan(tolerance(fills));
      }),
    );
  });

  it('property: with every mark at its last fill price, cash + positions conserve value net of fees', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 40 }), (specs) => {
        // One price per symbol: marking at it makes every trade value-neutral, so only the fees leave the account.
        const prices: Record<string, number> = {};
        for (const s of specs) prices[s.symbol] ??= s.price;
        const { portfolio, fills } = replay(specs.map((s) => ({ ...s, price: prices[s.symbol] })));
        for (const [symbol, price] of Object.entries(prices)) portfolio.mark(symbol, price);
        const fees = fills.reduce((s, f) => s + f.fee, 0);
        expect(Math.abs(portfolio.valuation().equity - (100_000 - fees))).toBeLessThanOrEqual(tolerance(fills));
      }),
    );
  });

  it('restores a stored state exactly', () => {
    const { portfolio } = replay([
      { symbol: 'BTC-USD', side: 'buy', quantity: 0.3, price: 41_000.5, feeRate: 0.001 },
      { symbol: 'ETH-USD', side: 'sell', quantity: 1.7, price: 2_222.25, feeRate: 0.001 },
    ]);
    const copy = new Portfolio({ quoteCurrency: 'USD', initialCash: 1 });
    copy.restore({ balances: portfolio.balances(), positions: portfolio.positions(), marks: portfolio.marks() });
    expect(copy.valuation()).toEqual(portfolio.valuation());
    expect(copy.positions()).toEqual(portfolio.positions());
  });
});
