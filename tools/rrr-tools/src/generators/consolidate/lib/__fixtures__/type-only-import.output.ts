import type { Clock } from '@rrr/core';
import type { PriceFeed } from './price-feed';
import type * as Core from '@rrr/core';

export type Clocked = { clock: Clock; feed: PriceFeed; bar: Core.Bar };
