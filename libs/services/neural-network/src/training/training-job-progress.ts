import { ENSEMBLE_DEFAULT_MEMBERS } from '../models/ensemble-predictor';
import type { TrainingJobProgress } from './training-job';
import type { TrainingJobRequest } from './training-job-request';
import type { TrainingProgress, TrainingStage } from './training-progress';

/** Share of the bar each stage reaches when it starts; the epochs fill the span from `fold` to `evaluate`. */
const STAGE_FRACTION: Readonly<Record<TrainingStage, number>> = {
  data: 0.02,
  fold: 0.05,
  epoch: 0.05,
  evaluate: 0.9,
  save: 0.95,
  done: 1,
};

export const NO_PROGRESS: TrainingJobProgress = {
  stage: null,
  message: 'waiting for the worker',
  epoch: null,
  maxEpochs: null,
  member: null,
  fraction: 0,
};

/**
 * Turns the training pipeline's reports into a job's progress. Epochs fill the bar by model (an ensemble's members
 * train one after another, each its share); early stopping ends a model before its maxEpochs, so the bar then jumps
 * to the next model or stage. The fraction never goes back.
 */
export class TrainingProgressTracker {
  private readonly models: number;
  private modelIndex = 0;
  private lastEpoch = 0;
  private lastMember: string | undefined;
  private current: TrainingJobProgress = NO_PROGRESS;

  constructor(request: Pick<TrainingJobRequest, 'kind' | 'hyperparameters'>) {
    const members = request.hyperparameters['members'];
    this.models =
      request.kind !== 'ensemble' ? 1 : Array.isArray(members) ? members.length : ENSEMBLE_DEFAULT_MEMBERS.length;
  }

  get progress(): TrainingJobProgress {
    return this.current;
  }

  update(report: TrainingProgress): TrainingJobProgress {
    let fraction = STAGE_FRACTION[report.stage];
    const epoch = report.epoch;
    if (report.stage === 'epoch' && epoch !== undefined) {
      // A new member starts its epochs from 1 again.
      if (this.lastMember !== undefined && (epoch.member !== this.lastMember || epoch.epoch <= this.lastEpoch)) {
        this.modelIndex = Math.min(this.modelIndex + 1, this.models - 1);
      }
      this.lastMember = epoch.member ?? '';
      this.lastEpoch = epoch.epoch;
      const within = epoch.maxEpochs > 0 ? Math.min(1, epoch.epoch / epoch.maxEpochs) : 1;
      const span = STAGE_FRACTION.evaluate - STAGE_FRACTION.epoch;
      fraction = STAGE_FRACTION.epoch + (span * (this.modelIndex + within)) / this.models;
    }
    this.current = {
      stage: report.stage,
      message: report.message,
      epoch: epoch?.epoch ?? this.current.epoch,
      maxEpochs: epoch?.maxEpochs ?? this.current.maxEpochs,
      member: epoch?.member ?? this.current.member,
      fraction: Math.max(this.current.fraction, fraction),
    };
    return this.current;
  }
}
