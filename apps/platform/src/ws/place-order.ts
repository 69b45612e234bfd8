import { RrrError, type Order, type OrderRequest } from '@rrr/core';

export interface PlaceOrderContext {
  /** The API key the order was placed with (for the audit trail). */
  keyId: string;
}

/** How the WebSocket gateway hands a validated, authorised order to the trading engine. */
export type PlaceOrder = (request: OrderRequest, context: PlaceOrderContext) => Promise<Order>;

/**
 * What the platform passes while no trading engine runs in it: every order is refused with SERVICE_UNAVAILABLE (503),
 * so a client learns that placement is off rather than getting a fake acknowledgement.
 */
export const placeOrderUnavailable: PlaceOrder = () =>
  Promise.reject(
    new RrrError('SERVICE_UNAVAILABLE', 'order placement is unavailable: no trading engine runs in this platform', {
      details: { service: 'trading-engine' },
    }),
  );
