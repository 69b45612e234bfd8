import fc from 'fast-check';
import { ValidationError } from '../errors';
import { assertValidOrderRequest, validateOrderRequest, type OrderRequest } from './order-request';
import { ORDER_SIDES } from './order-side';
import { TIME_IN_FORCES } from './time-in-force';

const market: OrderRequest = { symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.5 };
const limit: OrderRequest = { ...market, type: 'limit', price: 100 };

const messages = (input: unknown) => validateOrderRequest(input).map((p) => `${p.field}: ${p.message}`);
const fields = (input: unknown) => validateOrderRequest(input).map((p) => p.field);

describe('validateOrderRequest: per-type fields', () => {
  it('accepts each order type with exactly the fields it takes', () => {
    expect(validateOrderRequest(market)).toEqual([]);
    expect(validateOrderRequest(limit)).toEqual([]);
    expect(validateOrderRequest({ ...market, type: 'stop', stopPrice: 95 })).toEqual([]);
    expect(validateOrderRequest({ ...market, type: 'stop-limit', stopPrice: 95, price: 94.5 })).toEqual([]);
    expect(validateOrderRequest({ ...market, type: 'trailing-stop', trailingPercent: 1.5 })).toEqual([]);
    expect(validateOrderRequest({ ...market, type: 'trailing-stop', trailingAmount: 250 })).toEqual([]);
  });

  it('requires a price for limit and stop-limit orders', () => {
    expect(messages({ ...market, type: 'limit' })).toEqual(['price: is required for a limit order']);
    expect(messages({ ...market, type: 'stop-limit', stopPrice: 95 })).toEqual([
      'price: is required for a stop-limit order',
    ]);
  });

  it('requires a stop price for stop and stop-limit orders', () => {
    expect(messages({ ...market, type: 'stop' })).toEqual(['stopPrice: is required for a stop order']);
    expect(messages({ ...market, type: 'stop-limit' })).toEqual([
      'price: is required for a stop-limit order',
      'stopPrice: is required for a stop-limit order',
    ]);
  });

  it('rejects fields the order type does not use instead of ignoring them', () => {
    expect(messages({ ...market, price: 100 })).toEqual([
      'price: is not allowed for a market order (only limit and stop-limit orders take it)',
    ]);
    expect(messages({ ...limit, stopPrice: 90 })).toEqual([
      'stopPrice: is not allowed for a limit order (only stop and stop-limit orders take it)',
    ]);
    expect(messages({ ...limit, trailingPercent: 2 })).toEqual([
      'trailingPercent: is not allowed for a limit order (only trailing-stop orders take it)',
    ]);
    expect(fields({ ...market, type: 'trailing-stop', trailingAmount: 5, price: 100 })).toEqual(['price']);
  });

  it('treats null like an absent optional field (JSON clients send it)', () => {
    expect(validateOrderRequest({ ...market, price: null, stopPrice: null, bracket: null })).toEqual([]);
  });

  it('validates the limit and stop prices against the price range', () => {
    expect(messages({ ...limit, price: 1e7 })).toEqual(['price: must be > 0 and < 10000000 (got 10000000)']);
    expect(messages({ ...market, type: 'stop', stopPrice: 'abc' })).toEqual([
      'stopPrice: must be a finite number (got "abc")',
    ]);
  });
});

describe('validateOrderRequest: trailing stops', () => {
  const trailing = { ...market, type: 'trailing-stop' };

  it('needs exactly one of trailingPercent and trailingAmount', () => {
    expect(messages(trailing)).toEqual([
      'trailingPercent: a trailing-stop order needs exactly one of trailingPercent or trailingAmount (got neither)',
    ]);
    expect(messages({ ...trailing, trailingPercent: 1, trailingAmount: 5 })).toEqual([
      'trailingAmount: is not allowed together with trailingPercent: a trailing-stop order takes exactly one of trailingPercent or trailingAmount',
    ]);
  });

  it('bounds trailingPercent to 0 < p < 100 and trailingAmount to > 0', () => {
    expect(messages({ ...trailing, trailingPercent: 0 })).toEqual(['trailingPercent: must be > 0 and < 100 (got 0)']);
    expect(fields({ ...trailing, trailingPercent: 100 })).toEqual(['trailingPercent']);
    expect(validateOrderRequest({ ...trailing, trailingPercent: 99.9 })).toEqual([]);
    expect(messages({ ...trailing, trailingAmount: -2 })).toEqual([
      'trailingAmount: must be > 0 and < 10000000 (got -2)',
    ]);
    expect(fields({ ...trailing, trailingAmount: Number.NaN })).toEqual(['trailingAmount']);
  });
});

describe('validateOrderRequest: quantity and options', () => {
  it('accepts quantities from 1e-6 to 1e6 inclusive', () => {
    expect(validateOrderRequest({ ...market, quantity: 1e-6 })).toEqual([]);
    expect(validateOrderRequest({ ...market, quantity: 1e6 })).toEqual([]);
    for (const quantity of [9.99e-7, 1e6 + 0.01, 0, -1]) {
      expect(messages({ ...market, quantity })).toEqual([
        `quantity: must be >= 0.000001 and <= 1000000 (got ${quantity})`,
      ]);
    }
    expect(messages({ ...market, quantity: 'abc' })).toEqual(['quantity: must be a finite number (got "abc")']);
  });

  it('defaults nothing but checks timeInForce, reduceOnly and clientOrderId when given', () => {
    expect(
      validateOrderRequest({ ...limit, timeInForce: 'IOC', reduceOnly: true, clientOrderId: 'strat-1:42' }),
    ).toEqual([]);
    expect(messages({ ...limit, timeInForce: 'gtc' })).toEqual([
      'timeInForce: must be one of "GTC", "IOC", "FOK", "DAY" (got "gtc")',
    ]);
    expect(messages({ ...limit, reduceOnly: 'yes' })).toEqual(['reduceOnly: must be true or false (got "yes")']);
    expect(fields({ ...limit, clientOrderId: 'has space' })).toEqual(['clientOrderId']);
  });

  it('checks the symbol and side', () => {
    expect(fields({ ...market, symbol: 'BTC_USD', side: 'long' })).toEqual(['symbol', 'side']);
  });
});

describe('validateOrderRequest: brackets', () => {
  it('accepts exits on the correct side of a limit entry', () => {
    expect(validateOrderRequest({ ...limit, bracket: { stopLoss: 95, takeProfit: 110 } })).toEqual([]);
    expect(validateOrderRequest({ ...limit, side: 'sell', bracket: { stopLoss: 105, takeProfit: 90 } })).toEqual([]);
    expect(validateOrderRequest({ ...limit, bracket: { stopLoss: 95 } })).toEqual([]);
  });

  it('rejects exits on the wrong side of a buy entry, the entry itself included', () => {
    expect(messages({ ...limit, bracket: { stopLoss: 101, takeProfit: 100 } })).toEqual([
      'bracket.stopLoss: must be < the entry price 100 for a buy (got 101)',
      'bracket.takeProfit: must be > the entry price 100 for a buy (got 100)',
    ]);
  });

  it('rejects exits on the wrong side of a sell entry', () => {
    expect(messages({ ...limit, side: 'sell', bracket: { stopLoss: 95, takeProfit: 110 } })).toEqual([
      'bracket.stopLoss: must be > the entry price 100 for a sell (got 95)',
      'bracket.takeProfit: must be < the entry price 100 for a sell (got 110)',
    ]);
  });

  it('uses the stop trigger as the entry of a stop order', () => {
    const stop = { ...market, type: 'stop', stopPrice: 200 };
    expect(validateOrderRequest({ ...stop, bracket: { stopLoss: 190, takeProfit: 230 } })).toEqual([]);
    expect(fields({ ...stop, bracket: { stopLoss: 201 } })).toEqual(['bracket.stopLoss']);
  });

  it('without an entry price, still orders the exits against each other', () => {
    expect(validateOrderRequest({ ...market, bracket: { stopLoss: 90, takeProfit: 120 } })).toEqual([]);
    expect(messages({ ...market, bracket: { stopLoss: 120, takeProfit: 90 } })).toEqual([
      'bracket.stopLoss: must be < bracket.takeProfit 90 for a buy (got 120)',
    ]);
    expect(fields({ ...market, side: 'sell', bracket: { stopLoss: 90, takeProfit: 120 } })).toEqual([
      'bracket.stopLoss',
    ]);
  });

  it('checks bracket prices and shape', () => {
    expect(messages({ ...limit, bracket: { stopLoss: -1, takeProfit: 'x' } })).toEqual([
      'bracket.stopLoss: must be > 0 and < 10000000 (got -1)',
      'bracket.takeProfit: must be a finite number (got "x")',
    ]);
    expect(messages({ ...limit, bracket: 95 })).toEqual(['bracket: must be an object (got 95)']);
  });
});

describe('validateOrderRequest: everything at once', () => {
  it('reports every problem, field by field', () => {
    const problems = validateOrderRequest({
      symbol: 'b',
      side: 'buy',
      type: 'stop-limit',
      quantity: Number.NaN,
      price: 100,
      timeInForce: 'GTD',
      trailingAmount: 3,
      bracket: { stopLoss: 150 },
    });
    expect(problems.map((p) => p.field)).toEqual([
      'symbol',
      'quantity',
      'timeInForce',
      'stopPrice',
      'trailingAmount',
      'bracket.stopLoss',
    ]);
  });

  it('reports every required field of an empty request', () => {
    expect(fields({})).toEqual(['symbol', 'side', 'type', 'quantity']);
  });

  it('without a valid type, still checks the values of typed fields', () => {
    expect(fields({ ...market, type: 'iceberg', price: -3, trailingPercent: 200 })).toEqual([
      'type',
      'price',
      'trailingPercent',
    ]);
  });

  it('rejects a non-object', () => {
    expect(messages('buy 1 BTC')).toEqual(['(root): must be an object (got "buy 1 BTC")']);
  });
});

describe('assertValidOrderRequest', () => {
  it('returns the request or throws ORDER_INVALID (400)', () => {
    expect(assertValidOrderRequest(limit)).toBe(limit);
    try {
      assertValidOrderRequest({ ...market, type: 'limit' });
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).code).toBe('ORDER_INVALID');
      expect((err as ValidationError).httpStatus).toBe(400);
      expect((err as ValidationError).message).toBe('order request: price: is required for a limit order');
    }
  });
});

const quantity = fc.double({ min: 1e-6, max: 1e6, noNaN: true });
const price = fc.double({ min: 0.01, max: 9_999_999, noNaN: true });

/** Requests valid by construction, one shape per order type. */
const validRequest: fc.Arbitrary<OrderRequest> = fc
  .record({
    symbol: fc.constantFrom('BTC-USD', 'ETH/USDT', 'SPX'),
    side: fc.constantFrom(...ORDER_SIDES),
    quantity,
    timeInForce: fc.option(fc.constantFrom(...TIME_IN_FORCES), { nil: undefined }),
    reduceOnly: fc.option(fc.boolean(), { nil: undefined }),
    typed: fc.oneof(
      fc.constant({ type: 'market' as const }),
      price.map((p) => ({ type: 'limit' as const, price: p })),
      price.map((p) => ({ type: 'stop' as const, stopPrice: p })),
      fc.tuple(price, price).map(([p, s]) => ({ type: 'stop-limit' as const, price: p, stopPrice: s })),
      fc
        .double({ min: 0.001, max: 99.9, noNaN: true })
        .map((t) => ({ type: 'trailing-stop' as const, trailingPercent: t })),
      price.map((a) => ({ type: 'trailing-stop' as const, trailingAmount: a })),
    ),
  })
  .map(({ typed, ...rest }) => ({ ...rest, ...typed }));

describe('validateOrderRequest: properties', () => {
  it('accepts every generated valid request', () => {
    fc.assert(fc.property(validRequest, (r) => expect(validateOrderRequest(r)).toEqual([])));
  });

  it('always flags a quantity outside 1e-6..1e6', () => {
    const outside = fc.oneof(
      fc.double({ min: -1e9, max: 1e-6, maxExcluded: true, noNaN: true }),
      fc.double({ min: 1e6, minExcluded: true, max: 1e12, noNaN: true }),
    );
    fc.assert(
      fc.property(validRequest, outside, (r, q) => {
        expect(fields({ ...r, quantity: q })).toEqual(['quantity']);
      }),
    );
  });

  it('always flags a buy limit stop-loss at or above the limit price', () => {
    fc.assert(
      fc.property(price, fc.double({ min: 1, max: 2, noNaN: true }), (p, f) => {
        const stopLoss = Math.min(p * f, 9_999_999);
        fc.pre(stopLoss >= p);
        expect(fields({ ...limit, price: p, bracket: { stopLoss } })).toEqual(['bracket.stopLoss']);
      }),
    );
  });
});
