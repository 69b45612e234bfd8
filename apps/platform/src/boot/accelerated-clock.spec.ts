import { ManualClock } from '@rrr/core';
import { acceleratedClock } from './accelerated-clock';

describe('acceleratedClock', () => {
  it('runs `speed` times faster than its base from the moment it is made', () => {
    const base = new ManualClock(1_000_000);
    const clock = acceleratedClock(60, base);
    expect(clock.now()).toBe(1_000_000);
    base.advance(1_000);
    expect(clock.now()).toBe(1_060_000);
    base.advance(500);
    expect(clock.now()).toBe(1_090_000);
  });

  it('is the base clock itself at speed 1 and refuses a speed below 1', () => {
    const base = new ManualClock(5);
    expect(acceleratedClock(1, base)).toBe(base);
    expect(() => acceleratedClock(0.5, base)).toThrow('clock speed must be a finite number >= 1, got 0.5');
  });
});
