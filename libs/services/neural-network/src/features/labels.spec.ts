import { ValidationError } from '@rrr/core';
import { classOfReturn, createLabelSpec, forwardReturns, labelSeries } from './labels';

describe('labels', () => {
  it('uses the legacy thresholds for 5m / 15m / 1h, 0.3 % for daily bars and 0.1 % for the live 1m bars', () => {
    expect(createLabelSpec({ interval: '1m' })).toEqual({
      interval: '1m',
      horizon: '1m',
      horizonBars: 1,
      threshold: 0.001,
    });
    expect(createLabelSpec({ interval: '1m', horizon: '5m' })).toEqual({
      interval: '1m',
      horizon: '5m',
      horizonBars: 5,
      threshold: 0.002,
    });
    expect(createLabelSpec({ interval: '5m', horizon: '15m' }).threshold).toBe(0.005);
    expect(createLabelSpec({ interval: '15m', horizon: '1h' })).toMatchObject({ horizonBars: 4, threshold: 0.01 });
    expect(createLabelSpec({ interval: '1d' })).toEqual({
      interval: '1d',
      horizon: '1d',
      horizonBars: 1,
      threshold: 0.003,
    });
  });

  it('refuses a horizon that is not a whole number of bars, and a horizon without a default threshold', () => {
    expect(() => createLabelSpec({ interval: '1h', horizon: '15m' })).toThrow(
      'label spec: horizon: must be a whole multiple of the bar interval 1h (got 15m)',
    );
    expect(() => createLabelSpec({ interval: '1h', horizon: '4h' })).toThrow(ValidationError);
    expect(() => createLabelSpec({ interval: '1h', horizon: '4h' })).toThrow(
      /threshold: has no default for horizon 4h/,
    );
    expect(createLabelSpec({ interval: '1h', horizon: '4h', threshold: 0.015 }).horizonBars).toBe(4);
  });

  it('labels bar t by close[t+h] / close[t] − 1; a move of exactly the threshold is flat', () => {
    expect(classOfReturn(0.0031, 0.003)).toBe(2);
    expect(classOfReturn(0.003, 0.003)).toBe(1);
    expect(classOfReturn(-0.003, 0.003)).toBe(1);
    expect(classOfReturn(-0.0031, 0.003)).toBe(0);
    const closes = [100, 101, 100.5, 100, 102];
    expect(Array.from(forwardReturns(closes, 2))).toEqual([100.5 / 100 - 1, 100 / 101 - 1, 102 / 100.5 - 1, NaN, NaN]);
    // h = 2, threshold 0.5 %: +0.5 % → flat, −0.99 % → down, +1.49 % → up; the last two bars have no future.
    expect(labelSeries(closes, { horizonBars: 2, threshold: 0.005 })).toEqual([1, 0, 2, null, null]);
  });
});
