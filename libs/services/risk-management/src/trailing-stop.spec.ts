import { validateOrderRequest } from '@rrr/core';
import fc from 'fast-check';
import { TrailingStop } from './trailing-stop';

describe('TrailingStop', () => {
  it('long: arms at +3 %, trails 1.5 % behind the high, never loosens, triggers on the cross', () => {
    const stop = new TrailingStop({ direction: 'long', entryPrice: 100 });
    expect(stop.update(102)).toEqual({ stopPrice: null, changed: false, armed: false, triggered: false });
    expect(stop.toOrderRequest('AAPL', 10)).toBeNull();
    const armed = stop.update(103);
    expect(armed).toMatchObject({ changed: true, armed: true, triggered: false });
    expect(armed.stopPrice).toBeCloseTo(101.455, 9);
    expect(stop.update(105).stopPrice).toBeCloseTo(103.425, 9);
    expect(stop.update(104)).toMatchObject({ changed: false, triggered: false });
    expect(stop.stopPrice).toBeCloseTo(103.425, 9);
    expect(stop.update(103.4)).toMatchObject({ changed: false, triggered: true });
    // Once triggered the level is final.
    expect(stop.update(110)).toMatchObject({ changed: false, triggered: true });
    expect(stop.stopPrice).toBeCloseTo(103.425, 9);
  });

  it('short: arms at −3 %, trails 1.5 % above the low, only moves down', () => {
    const stop = new TrailingStop({ direction: 'short', entryPrice: 100 });
    expect(stop.update(97).stopPrice).toBeCloseTo(98.455, 9);
    expect(stop.update(95).stopPrice).toBeCloseTo(96.425, 9);
    expect(stop.update(96)).toMatchObject({ changed: false, triggered: false });
    expect(stop.update(96.5)).toMatchObject({ triggered: true });
  });

  it('turns the level into a reduce-only stop order for the OMS', () => {
    const long = new TrailingStop({ direction: 'long', entryPrice: 100 });
    long.update(110);
    const order = long.toOrderRequest('AAPL', 10);
    expect(order).toEqual({
      symbol: 'AAPL',
      side: 'sell',
      type: 'stop',
      quantity: 10,
      stopPrice: 108.35,
      reduceOnly: true,
      timeInForce: 'GTC',
    });
    expect(validateOrderRequest(order)).toEqual([]);
    const short = new TrailingStop({ direction: 'short', entryPrice: 100 });
    short.update(90);
    expect(short.toOrderRequest('ETH-USD', -3)).toMatchObject({ side: 'buy', quantity: 3, stopPrice: 91.35 });
  });

  it('restores from its plain-data state', () => {
    const a = new TrailingStop({ direction: 'long', entryPrice: 100 });
    a.update(104);
    const b = TrailingStop.fromState(JSON.parse(JSON.stringify(a.state())));
    expect(b.update(106)).toEqual(a.update(106));
    expect(b.state()).toEqual(a.state());
  });

  it('never loosens, and sits exactly trailPct behind the best price once armed (random paths)', () => {
    const path = fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(
        fc.constantFrom('long' as const, 'short' as const),
        fc.double({ min: 1, max: 10_000, noNaN: true }),
        path,
        (direction, entry, steps) => {
          const stop = new TrailingStop({ direction, entryPrice: entry });
          let price = entry;
          let best = entry;
          let previous: number | null = null;
          for (const step of steps) {
            price *= 1 + step;
            const wasTriggered = stop.triggered;
            const update = stop.update(price);
            if (!wasTriggered) best = direction === 'long' ? Math.max(best, price) : Math.min(best, price);
            if (previous !== null) {
              expect(update.stopPrice).not.toBeNull();
              if (direction === 'long') expect(update.stopPrice as number).toBeGreaterThanOrEqual(previous);
              else expect(update.stopPrice as number).toBeLessThanOrEqual(previous);
            }
            if (update.armed && !update.triggered) {
              const expected = direction === 'long' ? best * 0.985 : best * 1.015;
              expect(update.stopPrice as number).toBeCloseTo(expected, 6);
              expect(
                direction === 'long' ? price > (update.stopPrice as number) : price < (update.stopPrice as number),
              ).toBe(true);
            }
            previous = update.stopPrice;
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
