import { systemClock, type Clock } from '@rrr/core';

/**
 * A clock that runs `speed` times faster than `base` from the moment it is made: what drives a synthetic live feed
 * at `data.liveSpeed` (60 → a one-minute bar every second), so demos and end-to-end tests see bars, signals and fills
 * within seconds. Speed 1 is `base` itself.
 */
export function acceleratedClock(speed: number, base: Clock = systemClock): Clock {
  if (!(speed >= 1) || !Number.isFinite(speed))
    throw new RangeError(`clock speed must be a finite number >= 1, got ${speed}`);
  if (speed === 1) return base;
  const origin = base.now();
  return { now: () => Math.round(origin + (base.now() - origin) * speed) };
}
