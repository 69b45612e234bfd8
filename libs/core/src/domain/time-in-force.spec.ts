import { DEFAULT_TIME_IN_FORCE, TIME_IN_FORCES, isTimeInForce } from './time-in-force';

describe('TimeInForce', () => {
  it('defaults to GTC and recognises the four policies, upper case only', () => {
    expect(DEFAULT_TIME_IN_FORCE).toBe('GTC');
    expect(TIME_IN_FORCES.every(isTimeInForce)).toBe(true);
    for (const v of ['gtc', 'GTD', 'PO', '', null]) expect(isTimeInForce(v)).toBe(false);
  });
});
