import type { Clock } from '@shared/time/clock';
import type { PriceFeed } from './priceFeed';
import type * as Core from '../../../../src/core';

export type Clocked = { clock: Clock; feed: PriceFeed; bar: Core.Bar };
