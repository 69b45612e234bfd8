import { roundTo, EPSILON } from '@shared/utils';
import { systemClock } from '@shared/time/clock';
import * as core from '@shared';

export const rounded = roundTo(systemClock.now() + EPSILON, 2);
export type AnyBar = core.Bar;
