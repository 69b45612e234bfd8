import { compareWithBaselines } from './compare-with-baselines';
import { lastDirectionBaseline, majorityClassBaseline } from './naive-baselines';

describe('naive baselines', () => {
  it('majority class: Laplace-smoothed training frequencies, the most frequent class predicted', () => {
    const b = majorityClassBaseline([2, 2, 2, 1, 0, 2]);
    // Counts + 1: down 2, flat 2, up 5 of 9.
    expect(b.probabilities).toEqual({ down: 2 / 9, flat: 2 / 9, up: 5 / 9 });
    expect(b.predicted).toBe('up');
    expect(b.confidence).toBe(5 / 9);
  });

  it('last direction: calls the last move, with the training frequencies of what followed such a move', () => {
    const baseline = lastDirectionBaseline([2, 2, 2, 0], [2, 0, 2, 1]);
    // After an up move the labels were up, down, up: counts + 1 → down 2, flat 1, up 3 of 6.
    expect(baseline(2)).toEqual({
      probabilities: { down: 2 / 6, flat: 1 / 6, up: 3 / 6 },
      predicted: 'up',
      confidence: 3 / 6,
    });
    // After a flat move (never seen): uniform, and the call is still 'flat'.
    expect(baseline(1)).toEqual({
      probabilities: { down: 1 / 3, flat: 1 / 3, up: 1 / 3 },
      predicted: 'flat',
      confidence: 1 / 3,
    });
  });

  it('compareWithBaselines says plainly when the model loses', () => {
    const always = (p: 'down' | 'flat' | 'up') => ({
      probabilities: { down: 0.2, flat: 0.2, up: 0.2, [p]: 0.6 },
      predicted: p,
      confidence: 0.6,
    });
    const labels = [2, 2, 2, 0] as const;
    const c = compareWithBaselines(
      'mlp',
      [always('down'), always('down'), always('down'), always('down')],
      { majorityClass: labels.map(() => always('up')), lastDirection: labels.map(() => always('flat')) },
      [...labels],
      [0.01, 0.01, 0.01, -0.01],
    );
    expect(c.beats.majorityClass).toEqual({ accuracy: false, logLoss: false, accuracyZ: (1 - 3) / Math.sqrt(4) });
    expect(c.beatsAll).toBe(false);
    expect(c.verdict[0]).toBe(
      'mlp does NOT beat the majority-class baseline on accuracy (25.0 % vs 75.0 %, McNemar z = -1.00, not significant at 5 %) and does NOT beat it on log loss (1.3348 vs 0.7855).',
    );
    expect(c.verdict[2]).toBe(
      'Overall: mlp does NOT beat both naive baselines on accuracy and log loss over 4 test samples.',
    );
  });
});
