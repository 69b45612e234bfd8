import { ConflictError, ManualClock, validateOrderRequest, ValidationError } from '@rrr/core';
import { KillSwitch } from './kill-switch';
import type { RiskControlEvent } from './risk-control-event';

const NOW = Date.parse('2024-03-13T15:00:00Z');

function setup() {
  const clock = new ManualClock(NOW);
  const events: RiskControlEvent[] = [];
  return { clock, events, killSwitch: new KillSwitch({ clock, onEvent: (e) => events.push(e) }) };
}

const openOrders = [
  { id: 'o1', clientOrderId: 'c1', symbol: 'BTC-USD', side: 'buy' as const, quantity: 1, status: 'accepted' as const },
  {
    id: 'o2',
    symbol: 'ETH-USD',
    side: 'sell' as const,
    quantity: 3,
    filledQuantity: 1,
    status: 'partially-filled' as const,
  },
  { id: 'o3', symbol: 'AAPL', side: 'buy' as const, quantity: 5, filledQuantity: 5, status: 'filled' as const },
  { id: 'o4', symbol: 'AAPL', side: 'sell' as const, quantity: 5, status: 'cancelled' as const },
];
const positions = [
  { symbol: 'BTC-USD', quantity: 2 },
  { symbol: 'ETH-USD', quantity: -5 },
  { symbol: 'AAPL', quantity: 0 },
  { symbol: 'SOL-USD', quantity: 1e-7 },
];

describe('KillSwitch', () => {
  it('cancels every working order and blocks new exposure until released', () => {
    const { killSwitch, events } = setup();
    expect(killSwitch.haltStatus()).toEqual({ halted: false });
    const actions = killSwitch.engage({ flatten: false, reason: 'exchange outage', by: 'ops', positions, openOrders });
    expect(actions).toEqual([
      { kind: 'cancel-order', orderId: 'o1', clientOrderId: 'c1', symbol: 'BTC-USD' },
      { kind: 'cancel-order', orderId: 'o2', symbol: 'ETH-USD' },
    ]);
    expect(killSwitch.engaged).toBe(true);
    expect(killSwitch.haltStatus()).toMatchObject({ halted: true, value: 1, limit: 0 });
    expect(events).toEqual([
      expect.objectContaining({ type: 'kill-switch.engaged', ts: NOW, actor: 'ops', rule: 'kill-switch' }),
    ]);
  });

  it('flattens every position with reduce-only market orders on the opposite side when asked', () => {
    const { killSwitch, events } = setup();
    const actions = killSwitch.engage({ flatten: true, reason: 'drawdown', by: 'ops', positions, openOrders });
    const submits = actions.filter((a) => a.kind === 'submit-order');
    expect(actions.slice(0, 2).every((a) => a.kind === 'cancel-order')).toBe(true);
    expect(submits).toEqual([
      {
        kind: 'submit-order',
        order: {
          symbol: 'BTC-USD',
          side: 'sell',
          type: 'market',
          quantity: 2,
          reduceOnly: true,
          clientOrderId: `kill-${NOW}-1`,
        },
      },
      {
        kind: 'submit-order',
        order: {
          symbol: 'ETH-USD',
          side: 'buy',
          type: 'market',
          quantity: 5,
          reduceOnly: true,
          clientOrderId: `kill-${NOW}-2`,
        },
      },
    ]);
    for (const a of submits) if (a.kind === 'submit-order') expect(validateOrderRequest(a.order)).toEqual([]);
    // Below the minimum order quantity nothing can be sent: it is reported, not silently dropped.
    expect(events[0].details).toMatchObject({ dust: [{ symbol: 'SOL-USD', quantity: 1e-7 }], cancels: 2, actions: 4 });
  });

  it('splits a position larger than the largest order quantity', () => {
    const { killSwitch } = setup();
    const actions = killSwitch.engage({
      flatten: true,
      reason: 'x',
      by: 'ops',
      positions: [{ symbol: 'SHIB-USD', quantity: 2.5e6 }],
      openOrders: [],
    });
    expect(actions.map((a) => (a.kind === 'submit-order' ? a.order.quantity : 0))).toEqual([1e6, 1e6, 5e5]);
    const { killSwitch: other, events } = setup();
    const odd = other.engage({
      flatten: true,
      reason: 'x',
      by: 'ops',
      positions: [{ symbol: 'SHIB-USD', quantity: -(1e6 + 5e-7) }],
      openOrders: [],
    });
    expect(odd).toHaveLength(1);
    expect(events[0].details?.dust).toEqual([{ symbol: 'SHIB-USD', quantity: expect.closeTo(-5e-7, 10) }]);
  });

  it('needs an id to cancel an order', () => {
    const { killSwitch } = setup();
    expect(() =>
      killSwitch.engage({
        flatten: false,
        reason: 'x',
        by: 'ops',
        positions: [],
        openOrders: [{ symbol: 'AAPL', side: 'buy', quantity: 1 }],
      }),
    ).toThrow(ValidationError);
  });

  it('releases once, with an event naming who released it', () => {
    const { killSwitch, events, clock } = setup();
    killSwitch.engage({ flatten: false, reason: 'x', by: 'ops', positions: [], openOrders: [] });
    clock.advance(60_000);
    expect(killSwitch.release('lead', 'venue back').engaged).toBe(false);
    expect(killSwitch.haltStatus()).toEqual({ halted: false });
    expect(events[1]).toMatchObject({ type: 'kill-switch.released', actor: 'lead', ts: NOW + 60_000 });
    expect(() => killSwitch.release('lead')).toThrow(ConflictError);
  });
});
