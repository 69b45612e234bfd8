import type { EpochReport } from '../models/predictor';
import { TrainingProgressTracker } from './training-job-progress';

const epoch = (n: number, maxEpochs: number, member?: string) => ({
  stage: 'epoch' as const,
  message: `${member ?? 'mlp'} epoch ${n}/${maxEpochs}`,
  epoch: {
    epoch: n,
    maxEpochs,
    trainLoss: 1,
    validationLoss: 1,
    improved: true,
    ...(member ? { member } : {}),
  } as EpochReport,
});

describe('TrainingProgressTracker', () => {
  it('fills the epochs span of one model by epoch, then the later stages', () => {
    const tracker = new TrainingProgressTracker({ kind: 'mlp', hyperparameters: {} });
    expect(tracker.progress).toMatchObject({ stage: null, fraction: 0 });
    expect(tracker.update({ stage: 'data', message: '600 1d bars' }).fraction).toBe(0.02);
    expect(tracker.update({ stage: 'fold', message: 'training on 400 samples' }).fraction).toBe(0.05);
    expect(tracker.update(epoch(50, 100))).toMatchObject({
      stage: 'epoch',
      epoch: 50,
      maxEpochs: 100,
      fraction: 0.475,
    });
    // Early stopping: the next stage jumps ahead, and the epoch figures stay as last reported.
    expect(tracker.update({ stage: 'evaluate', message: 'beats' })).toMatchObject({ fraction: 0.9, epoch: 50 });
    expect(tracker.update({ stage: 'done', message: 'registered' }).fraction).toBe(1);
  });

  it('gives each ensemble member its share, in the order they train, and never goes back', () => {
    const tracker = new TrainingProgressTracker({ kind: 'ensemble', hyperparameters: {} });
    expect(tracker.update(epoch(10, 10, 'logistic#0')).fraction).toBeCloseTo(0.05 + 0.85 / 3, 10);
    expect(tracker.update(epoch(1, 100, 'mlp#1'))).toMatchObject({ member: 'mlp#1', fraction: expect.any(Number) });
    expect(tracker.progress.fraction).toBeCloseTo(0.05 + (0.85 * 1.01) / 3, 10);
    expect(tracker.update(epoch(15, 30, 'lstm#2')).fraction).toBeCloseTo(0.05 + (0.85 * 2.5) / 3, 10);
    // A late report of an earlier stage does not move the bar back.
    expect(tracker.update({ stage: 'fold', message: 'again' }).fraction).toBeCloseTo(0.05 + (0.85 * 2.5) / 3, 10);
  });
});
