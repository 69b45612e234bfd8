import type { SignalView } from '../live/recent-signals';
import { intervalNamed } from './interval-ms';
import { signalBarOpen, signalMarker } from './signal-markers';

const T0 = Date.UTC(2026, 10, 25, 19, 40);

function view(direction: SignalView['direction'], ts: number): SignalView {
  return {
    key: `BTC-USD sma-cross(20,50) ${ts}`,
    ts,
    symbol: 'BTC-USD',
    source: 'sma-cross(20,50)',
    direction,
    strength: direction === 'flat' ? 0 : 1,
    price: 50_000,
    reason: null,
  };
}

describe('signal markers', () => {
  it('puts a signal on the bar whose close it was made at, also when it was stamped a little after the close', () => {
    // A model stamps the close itself; the live engine its clock, a few ms after the bar was published.
    expect(signalBarOpen(T0 + 60_000, '1m')).toBe(T0);
    expect(signalBarOpen(T0 + 60_250, '1m')).toBe(T0);
    expect(signalBarOpen(T0 + 119_999, '1m')).toBe(T0);
    expect(signalBarOpen(Date.UTC(2026, 10, 26), '1d')).toBe(Date.UTC(2026, 10, 25));
  });

  it('draws long as ↑ below the bar and short or flat as ↓ above it, in chart seconds', () => {
    expect(signalMarker(view('long', T0 + 60_100), '1m')).toEqual({
      time: T0 / 1000,
      position: 'belowBar',
      shape: 'arrowUp',
      color: '#4c9aff',
      text: 'long',
      id: `signal BTC-USD sma-cross(20,50) ${T0 + 60_100}`,
    });
    expect(signalMarker(view('short', T0 + 60_000), '1m')).toMatchObject({
      time: T0 / 1000,
      position: 'aboveBar',
      shape: 'arrowDown',
      text: 'short',
    });
    expect(signalMarker(view('flat', T0 + 120_000), '1m')).toMatchObject({
      time: (T0 + 60_000) / 1000,
      position: 'aboveBar',
      shape: 'arrowDown',
      color: '#8591a0',
    });
  });

  it('names an interval by its length, and no other length', () => {
    expect(intervalNamed(900_000)).toBe('15m');
    expect(intervalNamed(86_400_000)).toBe('1d');
    expect(intervalNamed(120_000)).toBeUndefined();
  });
});
