import { ValidationError } from '@rrr/core';
import type { EpochReport } from './predictor';

export interface ValidationSplit {
  /** Training samples are [0, trainEnd). */
  trainEnd: number;
  /** Validation samples are [validationStart, total). */
  validationStart: number;
}

/**
 * Validation taken from the END of the time-ordered samples, with `gap` samples dropped in between so that no
 * training label (which looks `gap` bars ahead) overlaps the validation period. A fraction of 0 means no validation.
 */
export function splitForValidation(total: number, fraction: number, gap: number): ValidationSplit {
  if (!(fraction >= 0 && fraction < 1) || !Number.isInteger(gap) || gap < 0) {
    throw new ValidationError('fit options', [
      {
        field: 'validationFraction',
        message: `must be in [0, 1) with an integer gap ≥ 0 (got ${fraction}, gap ${gap})`,
      },
    ]);
  }
  const validation = fraction === 0 ? 0 : Math.max(1, Math.floor(total * fraction));
  const trainEnd = total - validation - (validation === 0 ? 0 : gap);
  if (trainEnd < 2) {
    throw new ValidationError('training data', [
      {
        field: 'windows',
        message: `${total} samples leave ${Math.max(trainEnd, 0)} for training after a validation split of ${validation} and a gap of ${gap}; need at least 2`,
      },
    ]);
  }
  return { trainEnd, validationStart: total - validation };
}

export interface EarlyStoppingLoop {
  maxEpochs: number;
  /** Epochs without improvement of the validation loss before stopping. */
  patience: number;
  /** Runs one epoch over the training samples; answers the mean training loss. */
  runEpoch(epoch: number): Promise<number>;
  /** Mean log loss on the validation samples, or NaN without validation. */
  validationLoss(): number;
  /** Remembers the current weights as the best so far. */
  keepBest(): void;
  /** Puts the remembered best weights back. */
  restoreBest(): void;
  onEpoch?: (report: EpochReport) => void;
  member?: string;
}

export interface EarlyStoppingResult {
  epochs: number;
  bestEpoch: number;
  trainLoss: number;
  validationLoss: number;
  stoppedEarly: boolean;
}

/** Improvements smaller than this are noise in a log loss near ln 3 and do not reset the patience counter. */
const MIN_IMPROVEMENT = 1e-5;

/** Trains epoch by epoch, keeps the weights of the best validation epoch, stops after `patience` epochs without one. */
export async function runEarlyStopping(loop: EarlyStoppingLoop): Promise<EarlyStoppingResult> {
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestTrainLoss = Number.NaN;
  let epoch = 0;
  let stoppedEarly = false;
  let trainLoss = Number.NaN;
  while (epoch < loop.maxEpochs) {
    epoch += 1;
    trainLoss = await loop.runEpoch(epoch);
    const validationLoss = loop.validationLoss();
    // Without validation every epoch counts as an improvement, so the final weights are kept.
    const improved = Number.isNaN(validationLoss) || validationLoss < best - MIN_IMPROVEMENT;
    if (improved) {
      best = Number.isNaN(validationLoss) ? best : validationLoss;
      bestEpoch = epoch;
      bestTrainLoss = trainLoss;
      loop.keepBest();
    }
    loop.onEpoch?.({ epoch, maxEpochs: loop.maxEpochs, trainLoss, validationLoss, improved, member: loop.member });
    if (epoch - bestEpoch >= loop.patience) {
      stoppedEarly = epoch < loop.maxEpochs;
      break;
    }
  }
  if (bestEpoch !== epoch) loop.restoreBest();
  return {
    epochs: epoch,
    bestEpoch,
    trainLoss: bestTrainLoss,
    validationLoss: best === Number.POSITIVE_INFINITY ? Number.NaN : best,
    stoppedEarly,
  };
}
