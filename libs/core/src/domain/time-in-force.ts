/** GTC good till cancelled, IOC immediate or cancel, FOK fill or kill, DAY expires at the session close. */
export const TIME_IN_FORCES = ['GTC', 'IOC', 'FOK', 'DAY'] as const;
export type TimeInForce = (typeof TIME_IN_FORCES)[number];

/** What an order request without `timeInForce` gets. */
export const DEFAULT_TIME_IN_FORCE: TimeInForce = 'GTC';

export function isTimeInForce(value: unknown): value is TimeInForce {
  return typeof value === 'string' && (TIME_IN_FORCES as readonly string[]).includes(value);
}
