export type FeedModule = typeof import('./priceFeed');
export type Limit = import('../../../risk_management/src/limits/position_size').PositionLimit;
export type Utils = typeof import('@shared/utils');
