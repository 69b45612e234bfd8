import { roundTo, EPSILON } from '@rrr/core';
import { systemClock } from '@rrr/core';
import * as core from '@rrr/core';

export const rounded = roundTo(systemClock.now() + EPSILON, 2);
export type AnyBar = core.Bar;
