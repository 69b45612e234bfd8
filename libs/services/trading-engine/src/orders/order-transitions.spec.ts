import { ORDER_STATUSES, type OrderStatus } from '@rrr/core';
import { OrderTransitionError } from './order-transition-error';
import { assertOrderTransition, canTransitionOrder, ORDER_TRANSITIONS } from './order-transitions';

const legal: Array<[OrderStatus, OrderStatus]> = [
  ['pending-new', 'accepted'],
  ['pending-new', 'rejected'],
  ['pending-new', 'cancelled'],
  ['pending-new', 'expired'],
  ['accepted', 'partially-filled'],
  ['accepted', 'filled'],
  ['accepted', 'cancelled'],
  ['accepted', 'expired'],
  ['accepted', 'rejected'],
  ['partially-filled', 'partially-filled'],
  ['partially-filled', 'filled'],
  ['partially-filled', 'cancelled'],
  ['partially-filled', 'expired'],
];

describe('order lifecycle', () => {
  it('allows exactly the documented transitions, all 49 pairs checked', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        expect([from, to, canTransitionOrder(from, to)]).toEqual([from, to, expected]);
      }
    }
  });

  it('makes filled, cancelled, rejected and expired terminal', () => {
    for (const status of ['filled', 'cancelled', 'rejected', 'expired'] as const) {
      expect(ORDER_TRANSITIONS[status]).toEqual([]);
    }
  });

  it('names the order, from and to in an illegal transition (CONFLICT)', () => {
    try {
      assertOrderTransition({ id: 'O-1', status: 'filled' }, 'cancelled');
      throw new Error('expected an OrderTransitionError');
    } catch (error) {
      expect(error).toBeInstanceOf(OrderTransitionError);
      const e = error as OrderTransitionError;
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toBe('order O-1: illegal transition filled → cancelled');
      expect(e.details).toEqual({ orderId: 'O-1', from: 'filled', to: 'cancelled' });
    }
    expect(() => assertOrderTransition({ id: 'O-2', status: 'pending-new' }, 'filled')).toThrow(
      'order O-2: illegal transition pending-new → filled',
    );
  });
});
