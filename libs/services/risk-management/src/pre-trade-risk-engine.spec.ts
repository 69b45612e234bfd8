import { ManualClock, RiskRejectedError, ValidationError, type OrderRequest } from '@rrr/core';
import fc from 'fast-check';
import { KillSwitch } from './kill-switch';
import { LossCircuitBreaker } from './loss-circuit-breaker';
import type { PreTradeRule, RuleOutcome } from './pre-trade-rule';
import { PreTradeRiskEngine } from './pre-trade-risk-engine';
import type { RiskLimits } from './risk-limits';
import type { RiskOpenOrder, RiskPosition, RiskSnapshot } from './risk-snapshot';

const NOW = Date.parse('2024-03-13T15:00:00Z');
const MARKS: Record<string, number> = {
  'BTC-USD': 50_000,
  'BTC/USDT': 50_000,
  'ETH-USD': 2_500,
  AAPL: 200,
};
const UNIVERSE = [...Object.keys(MARKS), ...Array.from({ length: 12 }, (_, i) => `SYM${i + 1}`)];
for (let i = 1; i <= 12; i += 1) MARKS[`SYM${i}`] = 10;

function snapshot(
  positions: RiskPosition[] = [],
  openOrders: RiskOpenOrder[] = [],
  extra: Partial<RiskSnapshot> = {},
): RiskSnapshot {
  return { equity: 100_000, cash: 100_000, positions, marks: MARKS, openOrders, now: NOW, ...extra };
}

/** An engine with every limit relaxed except the ones under test, so each rule is checked on its own. */
function engineOnly(limits: Partial<RiskLimits>, more: { knownSymbols?: string[] } = {}): PreTradeRiskEngine {
  return new PreTradeRiskEngine({
    limits: {
      maxPositionPct: 1,
      maxOpenPositions: 1000,
      maxLeverage: 100,
      maxConcentrationPct: 1,
      maxOrderNotional: 1e12,
      dailyLossLimitPct: 1,
      dailyLossWarnPct: 1,
      weeklyLossLimitPct: 1,
      monthlyLossLimitPct: 1,
      ...limits,
    },
    knownSymbols: more.knownSymbols ?? UNIVERSE,
  });
}

const buy = (symbol: string, quantity: number, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol,
  side: 'buy',
  type: 'market',
  quantity,
  ...extra,
});
const sell = (symbol: string, quantity: number, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol,
  side: 'sell',
  type: 'market',
  quantity,
  ...extra,
});
const pos = (symbol: string, quantity: number): RiskPosition => ({ symbol, quantity });

function verdict(outcomes: RuleOutcome[], rule: string): RuleOutcome {
  const found = outcomes.find((o) => o.rule === rule);
  if (!found) throw new Error(`no verdict for ${rule}`);
  return found;
}

function expectRejected(
  result: ReturnType<PreTradeRiskEngine['evaluate']>,
  rule: string,
  value: number,
  limit: number,
): void {
  expect(result.approved).toBe(false);
  expect(result.rejection).toBeInstanceOf(RiskRejectedError);
  const error = result.rejection as RiskRejectedError;
  expect(error.code).toBe('RISK_REJECTED');
  expect(error.message.startsWith(`${rule}: `)).toBe(true);
  const details = error.details as { rule: string; value: number; limit: number };
  expect(details.rule).toBe(rule);
  expect(details.value).toBeCloseTo(value, 10);
  expect(details.limit).toBe(limit);
}

describe('PreTradeRiskEngine — validation before risk', () => {
  const spy: PreTradeRule & { calls: number } = {
    name: 'spy',
    description: 'counts calls',
    calls: 0,
    check() {
      this.calls += 1;
      return { pass: true };
    },
  };
  const engine = new PreTradeRiskEngine({ rules: [spy], knownSymbols: UNIVERSE });

  it.each([
    ['NaN quantity', buy('BTC-USD', Number.NaN), 'quantity'],
    ['zero quantity', buy('BTC-USD', 0), 'quantity'],
    ['negative quantity', buy('BTC-USD', -1), 'quantity'],
    ['quantity beyond the domain maximum', buy('AAPL', 2e6), 'quantity'],
    ['limit without price', buy('BTC-USD', 1, { type: 'limit' }), 'price'],
    ['unknown symbol', buy('DOGE-USD', 1), 'symbol'],
    ['malformed symbol', buy('btc usd', 1), 'symbol'],
  ])('rejects %s with ORDER_INVALID naming the field, before any rule runs', (_name, order, field) => {
    spy.calls = 0;
    const result = engine.evaluate(order, snapshot());
    expect(result.approved).toBe(false);
    expect(result.verdicts).toEqual([]);
    expect(result.rejection).toBeInstanceOf(ValidationError);
    expect(result.rejection?.code).toBe('ORDER_INVALID');
    expect((result.rejection as ValidationError).problems.map((p) => p.field)).toContain(field);
    expect(spy.calls).toBe(0);
  });

  it('runs the rules for a valid order', () => {
    spy.calls = 0;
    expect(engine.evaluate(buy('BTC-USD', 0.01), snapshot()).approved).toBe(true);
    expect(spy.calls).toBe(1);
  });

  it('check, for a request validated before, still refuses a symbol outside the universe and runs the rules', () => {
    spy.calls = 0;
    const unknown = engine.check(buy('DOGE-USD', 1), snapshot());
    expect(unknown.rejection?.code).toBe('ORDER_INVALID');
    expect((unknown.rejection as ValidationError).problems.map((p) => p.field)).toEqual(['symbol']);
    expect(spy.calls).toBe(0);
    expect(engine.check(buy('BTC-USD', 0.01), snapshot())).toEqual({
      approved: true,
      verdicts: [{ rule: 'spy', pass: true }],
    });
    expect(spy.calls).toBe(1);
  });

  it('throws on a snapshot without a mark for a held symbol: that is the caller’s bug, not the order’s', () => {
    expect(() => engine.evaluate(buy('BTC-USD', 0.01), snapshot([pos('SOL-USD', 1)]))).toThrow(/marks\.SOL-USD/);
  });
});

describe('max-order-notional', () => {
  const engine = engineOnly({ maxOrderNotional: 50_000 });

  it('passes at the limit and rejects above it, at the limit price when there is one', () => {
    expect(verdict(engine.evaluate(buy('BTC-USD', 1), snapshot()).verdicts, 'max-order-notional')).toEqual({
      rule: 'max-order-notional',
      pass: true,
      value: 50_000,
      limit: 50_000,
    });
    expectRejected(engine.evaluate(buy('BTC-USD', 1.2), snapshot()), 'max-order-notional', 60_000, 50_000);
    // 1.2 BTC at a 40 000 limit is 48 000 of notional.
    expect(engine.evaluate(buy('BTC-USD', 1.2, { type: 'limit', price: 40_000 }), snapshot()).approved).toBe(true);
  });

  it('exempts reduce-only orders, whose size the position bounds', () => {
    const result = engine.evaluate(sell('BTC-USD', 2, { reduceOnly: true }), snapshot([pos('BTC-USD', 2)]));
    expect(result.approved).toBe(true);
  });

  it('names the value and the limit in the reason', () => {
    const result = engine.evaluate(buy('BTC-USD', 1.2), snapshot());
    expect(result.rejection?.message).toBe(
      'max-order-notional: order notional 60000.00 (1.2 × 50000.00) exceeds the limit 50000.00',
    );
  });
});

describe('max-position (20 % of equity, projected)', () => {
  const engine = engineOnly({ maxPositionPct: 0.2 });

  it('projects the position after the order: 0.3 + 0.1 BTC = 20 % passes, 0.3 + 0.11 = 20.5 % is rejected', () => {
    const held = snapshot([pos('BTC-USD', 0.3)]);
    expect(verdict(engine.evaluate(buy('BTC-USD', 0.1), held).verdicts, 'max-position')).toMatchObject({
      pass: true,
      value: 0.2,
    });
    expectRejected(engine.evaluate(buy('BTC-USD', 0.11), held), 'max-position', 0.205, 0.2);
  });

  it('does not let one ulp of floating-point noise turn "at the limit" into "beyond it"', () => {
    const atLimit = engineOnly({ maxPositionPct: 0.15 });
    // (0.1 + 0.2) × 50 000 / 100 000 = 0.15000000000000002
    expect(atLimit.evaluate(buy('BTC-USD', 0.2), snapshot([pos('BTC-USD', 0.1)])).approved).toBe(true);
  });

  it('counts working orders on the same side that could fill first', () => {
    const held = snapshot(
      [pos('BTC-USD', 0.3)],
      [{ id: 'o1', symbol: 'BTC-USD', side: 'buy', quantity: 0.05, status: 'accepted' }],
    );
    expectRejected(engine.evaluate(buy('BTC-USD', 0.1), held), 'max-position', 0.225, 0.2);
    // A filled order is history, not exposure.
    const done = snapshot(
      [pos('BTC-USD', 0.3)],
      [{ id: 'o1', symbol: 'BTC-USD', side: 'buy', quantity: 0.05, status: 'filled', filledQuantity: 0.05 }],
    );
    expect(engine.evaluate(buy('BTC-USD', 0.1), done).approved).toBe(true);
  });

  it('measures shorts by size: −0.3 BTC, sell 0.11 more is 20.5 %', () => {
    expectRejected(
      engine.evaluate(sell('BTC-USD', 0.11), snapshot([pos('BTC-USD', -0.3)])),
      'max-position',
      0.205,
      0.2,
    );
  });

  it('lets an order that reduces an oversized position through', () => {
    const oversized = snapshot([pos('BTC-USD', 0.5)]); // 25 %
    const result = engine.evaluate(sell('BTC-USD', 0.2), oversized);
    expect(result.approved).toBe(true);
    expect(verdict(result.verdicts, 'max-position')).toMatchObject({
      pass: true,
      note: 'order does not increase exposure',
    });
  });

  it('checks a flip on its new side: long 0.5, sell 1.1 leaves −0.6 = 30 %', () => {
    expectRejected(engine.evaluate(sell('BTC-USD', 1.1), snapshot([pos('BTC-USD', 0.5)])), 'max-position', 0.3, 0.2);
    expect(engine.evaluate(sell('BTC-USD', 0.9), snapshot([pos('BTC-USD', 0.5)])).approved).toBe(true);
  });

  it('treats a reduction that working orders on the same side would turn into a flip as new exposure', () => {
    const book = snapshot([pos('BTC-USD', 0.5)], [{ id: 'o1', symbol: 'BTC-USD', side: 'sell', quantity: 0.4 }]);
    // 0.4 working + 0.2 new = 0.6 > 0.5 held: the sell can open a short.
    const result = engine.evaluate(sell('BTC-USD', 0.2), book);
    const checked = verdict(result.verdicts, 'max-position');
    expect(checked).not.toHaveProperty('note');
    // Worst case −0.1 BTC = 5 000 = 5 % of equity.
    expect(checked.value).toBeCloseTo(0.05, 12);
  });

  it('rejects any exposure when equity is not positive', () => {
    const broke = snapshot([], [], { equity: 0 });
    const result = engine.evaluate(buy('AAPL', 1), broke);
    expect(result.approved).toBe(false);
    expect((result.rejection?.details as { rule: string }).rule).toBe('max-position');
  });
});

describe('max-open-positions (10)', () => {
  const engine = engineOnly({ maxOpenPositions: 10 });
  const ten = Array.from({ length: 10 }, (_, i) => pos(`SYM${i + 1}`, 100));

  it('rejects an order that would open an 11th position', () => {
    expectRejected(engine.evaluate(buy('SYM11', 1), snapshot(ten)), 'max-open-positions', 11, 10);
  });

  it('lets orders on symbols already held through', () => {
    const result = engine.evaluate(buy('SYM3', 1), snapshot(ten));
    expect(result.approved).toBe(true);
    expect(verdict(result.verdicts, 'max-open-positions')).toMatchObject({
      pass: true,
      value: 10,
      note: 'order opens no new position',
    });
  });

  it('counts a working order that opens a position as open', () => {
    const nine = ten.slice(0, 9);
    const pending: RiskOpenOrder = { id: 'o', symbol: 'SYM12', side: 'buy', quantity: 5 };
    expect(engine.evaluate(buy('SYM11', 1), snapshot(nine)).approved).toBe(true);
    expectRejected(engine.evaluate(buy('SYM11', 1), snapshot(nine, [pending])), 'max-open-positions', 11, 10);
  });
});

describe('max-leverage (2.0 gross / equity)', () => {
  const engine = engineOnly({ maxLeverage: 2 });
  // AAPL 250 × 200 = 50 000, ETH short 20 × 2 500 = 50 000, BTC 1.6 × 50 000 = 80 000: gross 180 000 on 100 000.
  const book = snapshot([pos('AAPL', 250), pos('ETH-USD', -20), pos('BTC-USD', 1.6)]);

  it('passes 1.9× and rejects 2.1× after the order, counting shorts by size', () => {
    expect(verdict(engine.evaluate(sell('ETH-USD', 4), book).verdicts, 'max-leverage')).toMatchObject({
      pass: true,
      value: 1.9,
    });
    expectRejected(engine.evaluate(sell('ETH-USD', 12), book), 'max-leverage', 2.1, 2);
  });

  it('lets a levered book cut its exposure, and nothing else', () => {
    const levered = snapshot([pos('AAPL', 500), pos('ETH-USD', -40), pos('BTC-USD', 2)]); // 3.0×
    expect(engine.evaluate(sell('AAPL', 250), levered).approved).toBe(true);
    expect(engine.evaluate(buy('ETH-USD', 10), levered).approved).toBe(true);
    expectRejected(engine.evaluate(buy('SYM1', 100), levered), 'max-leverage', 3.01, 2);
  });
});

describe('max-concentration (30 % per base asset)', () => {
  const engine = engineOnly({ maxConcentrationPct: 0.3 });

  it('adds every symbol of a base asset and divides by equity while the book is not levered', () => {
    // BTC-USD 15 000 + BTC/USDT 10 000; gross 25 000 < equity 100 000.
    const book = snapshot([pos('BTC-USD', 0.3), pos('BTC/USDT', 0.2)]);
    expect(verdict(engine.evaluate(buy('BTC/USDT', 0.1), book).verdicts, 'max-concentration')).toMatchObject({
      pass: true,
      value: 0.3,
    });
    expectRejected(engine.evaluate(buy('BTC/USDT', 0.12), book), 'max-concentration', 0.31, 0.3);
  });

  it('divides by gross exposure once it exceeds equity', () => {
    // AAPL, ETH, BTC at 60 000 each = 180 000 gross; +0.4 BTC makes BTC 80 000 of 200 000.
    const book = snapshot([pos('AAPL', 300), pos('ETH-USD', 24), pos('BTC-USD', 1.2)]);
    expectRejected(engine.evaluate(buy('BTC-USD', 0.4), book), 'max-concentration', 0.4, 0.3);
  });

  it('lets a book’s first position through (as a share of gross alone it would be 100 %)', () => {
    expect(engine.evaluate(buy('ETH-USD', 4), snapshot()).approved).toBe(true);
  });
});

describe('loss limits (daily 5 %, weekly 10 %, monthly 20 %)', () => {
  const engine = engineOnly({
    dailyLossLimitPct: 0.05,
    dailyLossWarnPct: 0.03,
    weeklyLossLimitPct: 0.1,
    monthlyLossLimitPct: 0.2,
  });
  const history = (day: number, week: number, month: number) => [
    { ts: Date.parse('2024-02-29T20:00:00Z'), equity: month },
    { ts: Date.parse('2024-03-10T12:00:00Z'), equity: week },
    { ts: Date.parse('2024-03-12T22:00:00Z'), equity: day },
  ];

  it('rejects new exposure once the day has lost 5 %', () => {
    const book = snapshot([pos('AAPL', 10)], [], { equity: 95_000, equityHistory: history(100_000, 95_000, 95_000) });
    expectRejected(engine.evaluate(buy('AAPL', 1), book), 'daily-loss-limit', 0.05, 0.05);
    expect(engine.evaluate(sell('AAPL', 5), book).approved).toBe(true);
  });

  it('passes at 4.99 %', () => {
    const book = snapshot([], [], { equity: 95_010, equityHistory: history(100_000, 95_010, 95_010) });
    expect(verdict(engine.evaluate(buy('AAPL', 1), book).verdicts, 'daily-loss-limit')).toMatchObject({ pass: true });
  });

  it('rejects on the weekly and the monthly loss', () => {
    const weekly = snapshot([], [], { equity: 90_000, equityHistory: history(91_000, 100_000, 90_000) });
    expectRejected(engine.evaluate(buy('AAPL', 1), weekly), 'weekly-loss-limit', 0.1, 0.1);
    const monthly = snapshot([], [], { equity: 80_000, equityHistory: history(80_500, 85_000, 100_000) });
    expectRejected(engine.evaluate(buy('AAPL', 1), monthly), 'monthly-loss-limit', 0.2, 0.2);
  });
});

describe('halts in the engine', () => {
  it('rejects new exposure while the kill switch is engaged and still lets positions be closed', () => {
    const clock = new ManualClock(NOW);
    const killSwitch = new KillSwitch({ clock });
    const engine = new PreTradeRiskEngine({ killSwitch, knownSymbols: UNIVERSE });
    const book = snapshot([pos('AAPL', 10)]);
    expect(engine.evaluate(buy('AAPL', 1), book).approved).toBe(true);
    killSwitch.engage({
      flatten: false,
      reason: 'venue incident',
      by: 'ops',
      positions: book.positions,
      openOrders: [],
    });
    const rejected = engine.evaluate(buy('AAPL', 1), book);
    expectRejected(rejected, 'kill-switch', 1, 0);
    expect(rejected.rejection?.message).toMatch(/kill switch engaged by ops .*venue incident/);
    expect(engine.evaluate(sell('AAPL', 10), book).approved).toBe(true);
    killSwitch.release('ops');
    expect(engine.evaluate(buy('AAPL', 1), book).approved).toBe(true);
  });

  it('rejects new exposure while the loss circuit breaker is halted, naming the tripped limit', () => {
    const clock = new ManualClock(NOW);
    const breaker = new LossCircuitBreaker({}, { clock });
    const engine = new PreTradeRiskEngine({ breaker, knownSymbols: UNIVERSE });
    const history = [{ ts: Date.parse('2024-03-12T23:00:00Z'), equity: 100_000 }];
    breaker.observe({ equity: 94_000, equityHistory: history });
    // Equity recovered in the snapshot: the stateless daily rule would pass, the latched breaker does not.
    const book = snapshot([pos('AAPL', 10)], [], { equity: 99_000, equityHistory: history });
    const rejected = engine.evaluate(buy('AAPL', 1), book);
    expectRejected(rejected, 'circuit-breaker', 0.06, 0.05);
    expect(rejected.rejection?.message).toMatch(/halted by daily-loss-limit/);
    expect(engine.evaluate(sell('AAPL', 1), book).approved).toBe(true);
  });
});

describe('every outcome', () => {
  const symbols = ['BTC-USD', 'BTC/USDT', 'ETH-USD', 'AAPL', 'SYM1', 'SYM2'];
  const engine = new PreTradeRiskEngine({ knownSymbols: UNIVERSE, limits: { maxOrderNotional: 80_000 } });
  const order = fc.record({
    symbol: fc.constantFrom(...symbols),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    type: fc.constant('market' as const),
    quantity: fc.double({ min: 0.001, max: 2_000, noNaN: true }),
    reduceOnly: fc.boolean(),
  });
  const position = fc.record({
    symbol: fc.constantFrom(...symbols),
    quantity: fc.double({ min: -500, max: 500, noNaN: true }),
  });
  const equityHistory = fc
    .array(fc.double({ min: 50_000, max: 150_000, noNaN: true }), { maxLength: 4 })
    .map((values) =>
      values.map((equity, i) => ({ ts: Date.parse('2024-02-20T00:00:00Z') + i * 5 * 86_400_000, equity })),
    );

  it('approves exactly when every rule passes, and a rejection names the first failing rule, its value and its limit', () => {
    fc.assert(
      fc.property(order, fc.array(position, { maxLength: 6 }), equityHistory, (o, positions, history) => {
        const result = engine.evaluate(o, snapshot(positions, [], { equityHistory: history }));
        expect(result.verdicts.map((v) => v.rule)).toEqual(engine.rules.map((r) => r.name));
        const failing = result.verdicts.filter((v) => !v.pass);
        expect(result.approved).toBe(failing.length === 0);
        for (const f of failing) {
          if (f.pass) continue;
          expect(typeof f.value).toBe('number');
          expect(typeof f.limit).toBe('number');
          expect(f.reason.length).toBeGreaterThan(10);
        }
        if (!result.approved) {
          const first = failing[0];
          const details = result.rejection?.details as {
            rule: string;
            value: number;
            limit: number;
            violations: unknown[];
          };
          expect(result.rejection?.code).toBe('RISK_REJECTED');
          expect(details.rule).toBe(first.rule);
          expect(details.value).toBe(first.pass ? undefined : first.value);
          expect(details.limit).toBe(first.pass ? undefined : first.limit);
          expect(details.violations).toHaveLength(failing.length);
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('never rejects a reduce-only order on exposure grounds', () => {
    fc.assert(
      fc.property(order, fc.array(position, { maxLength: 6 }), (o, positions) => {
        const result = engine.evaluate({ ...o, reduceOnly: true }, snapshot(positions));
        expect(result.approved).toBe(true);
      }),
      { numRuns: 200, seed: 6 },
    );
  });
});
