import type { EpochReport } from '../models/predictor';

export type TrainingStage = 'data' | 'fold' | 'epoch' | 'evaluate' | 'save' | 'done';

/** What trainModel / evaluateModel report while they work (for a CLI progress bar or a log). */
export interface TrainingProgress {
  stage: TrainingStage;
  message: string;
  /** 1-based walk-forward fold, when evaluating. */
  fold?: number;
  folds?: number;
  epoch?: EpochReport;
}

export type TrainingProgressCallback = (progress: TrainingProgress) => void;
