import { LocalFieldState } from './local-field-state';
import { Qubo } from './qubo';
import { createRng } from './seeded-rng';

describe('LocalFieldState', () => {
  it('tracks the energy exactly through a long random walk of flips', () => {
    const rng = createRng(3);
    const n = 30;
    const qubo = Qubo.fromMatrix(
      Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal())),
      2,
    );
    const state = new LocalFieldState(qubo);
    state.randomize(rng);
    expect(state.energy).toBeCloseTo(qubo.energy(state.x), 10);
    for (let step = 0; step < 5000; step++) {
      const i = rng.nextInt(n);
      const expected = qubo.flipDelta(state.x, i);
      expect(state.delta(i)).toBeCloseTo(expected, 9);
      state.flip(i);
    }
    expect(state.energy).toBeCloseTo(qubo.energy(state.x), 8);
  });
});
