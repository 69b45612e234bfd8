export type FeedModule = typeof import('./price-feed');
export type Limit = import('@rrr/risk-management').PositionLimit;
export type Utils = typeof import('@rrr/core');
