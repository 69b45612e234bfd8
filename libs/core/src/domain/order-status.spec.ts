import { ORDER_STATUSES, isOrderStatus, isTerminalOrderStatus } from './order-status';

describe('OrderStatus', () => {
  it('marks filled, cancelled, rejected and expired as terminal', () => {
    expect(ORDER_STATUSES.filter(isTerminalOrderStatus)).toEqual(['filled', 'cancelled', 'rejected', 'expired']);
    expect(ORDER_STATUSES.filter((s) => !isTerminalOrderStatus(s))).toEqual([
      'pending-new',
      'accepted',
      'partially-filled',
    ]);
  });

  it('recognises the seven statuses only', () => {
    expect(ORDER_STATUSES.every(isOrderStatus)).toBe(true);
    for (const v of ['canceled', 'new', 'open', 'FILLED', 3]) expect(isOrderStatus(v)).toBe(false);
  });
});
