import { ValidationError } from '@rrr/core';
import { assertTrainingData, assertWindows, BasePredictor, type PredictorArtifacts } from './base-predictor';
import { forecastFromProbabilities } from './class-forecast';
import { ModelArtifactError } from './model-artifact-error';
import type {
  ClassForecast,
  FeatureWindow,
  FitOptions,
  FitReport,
  LabelledWindows,
  PredictorDescription,
  PredictorKind,
} from './predictor';

/** The predictors an ensemble averages (built by createPredictor, which knows every kind). */
export interface EnsembleMember {
  predictor: BasePredictor;
  weight: number;
}

export type EnsembleMemberKind = Exclude<PredictorKind, 'ensemble'>;

export interface EnsembleMemberSpec {
  kind: EnsembleMemberKind;
  /** Relative weight in the average; weights are normalised to sum to 1. */
  weight: number;
  hyperparameters?: Record<string, unknown>;
}

export const ENSEMBLE_DEFAULT_MEMBERS: readonly EnsembleMemberSpec[] = Object.freeze([
  { kind: 'logistic', weight: 1 },
  { kind: 'mlp', weight: 1 },
  { kind: 'lstm', weight: 1 },
]);

/** Member label for progress reports, e.g. `mlp#2`. */
function memberLabel(kind: PredictorKind, index: number): string {
  return `${kind}#${index + 1}`;
}

/**
 * Weighted average of its members' class probabilities. Each member reads the newest rows it needs from the (longest)
 * window; each is trained on the same samples with its own early stopping.
 */
export class EnsemblePredictor extends BasePredictor {
  readonly kind = 'ensemble' as const;
  readonly lookback: number;
  private readonly weights: number[];

  constructor(
    readonly inputSize: number,
    private readonly members: readonly EnsembleMember[],
  ) {
    super();
    if (members.length === 0) {
      throw new ValidationError('ensemble hyperparameters', [
        { field: 'members', message: 'must list at least one member' },
      ]);
    }
    const total = members.reduce((sum, m) => sum + m.weight, 0);
    this.weights = members.map((m) => m.weight / total);
    this.lookback = Math.max(...members.map((m) => m.predictor.lookback));
  }

  async fit(data: LabelledWindows, options: FitOptions = {}): Promise<FitReport> {
    assertTrainingData(data, this.lookback, this.inputSize);
    const reports: FitReport[] = [];
    for (const [i, member] of this.members.entries()) {
      const label = memberLabel(member.predictor.kind, i);
      reports.push(
        await member.predictor.fit(data, {
          ...options,
          onEpoch:
            options.onEpoch === undefined ? undefined : (report) => options.onEpoch?.({ ...report, member: label }),
        }),
      );
    }
    return {
      epochs: reports.reduce((sum, r) => sum + r.epochs, 0),
      bestEpoch: Math.max(...reports.map((r) => r.bestEpoch)),
      trainLoss: reports.reduce((sum, r, i) => sum + this.weights[i] * r.trainLoss, 0),
      validationLoss: reports.reduce((sum, r, i) => sum + this.weights[i] * r.validationLoss, 0),
      stoppedEarly: reports.some((r) => r.stoppedEarly),
      trainSamples: reports[0].trainSamples,
      validationSamples: reports[0].validationSamples,
      members: reports,
    };
  }

  predict(windows: readonly FeatureWindow[]): ClassForecast[] {
    assertWindows(windows, this.lookback, this.inputSize, 'prediction input');
    const sums = windows.map(() => [0, 0, 0]);
    this.members.forEach((member, m) => {
      member.predictor.predict(windows).forEach((f, i) => {
        sums[i][0] += this.weights[m] * f.probabilities.down;
        sums[i][1] += this.weights[m] * f.probabilities.flat;
        sums[i][2] += this.weights[m] * f.probabilities.up;
      });
    });
    return sums.map(([down, flat, up]) => forecastFromProbabilities(down, flat, up));
  }

  describe(): PredictorDescription {
    const members = this.members.map((m, i) => ({ weight: this.weights[i], predictor: m.predictor.describe() }));
    return {
      kind: this.kind,
      lookback: this.lookback,
      inputSize: this.inputSize,
      hyperparameters: {
        members: members.map((m, i) => ({
          kind: m.predictor.kind,
          weight: this.members[i].weight,
          hyperparameters: m.predictor.hyperparameters,
        })),
      },
      parameters: members.reduce((sum, m) => sum + m.predictor.parameters, 0),
      members,
    };
  }

  dispose(): void {
    for (const m of this.members) m.predictor.dispose();
  }

  async exportArtifacts(): Promise<PredictorArtifacts> {
    const parts = await Promise.all(this.members.map((m) => m.predictor.exportArtifacts()));
    const total = parts.reduce((sum, p) => sum + p.weightData.byteLength, 0);
    const data = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      data.set(new Uint8Array(part.weightData), offset);
      offset += part.weightData.byteLength;
    }
    return {
      topology: {
        class_name: 'WeightedEnsemble',
        config: {
          members: parts.map((p, i) => ({
            kind: this.members[i].predictor.kind,
            weight: this.members[i].weight,
            weightCount: p.weightSpecs.length,
            byteLength: p.weightData.byteLength,
            topology: p.topology,
          })),
        },
      },
      // Prefixed so names stay unique across members (two MLPs both have `hidden1/kernel`).
      weightSpecs: parts.flatMap((p, i) => p.weightSpecs.map((s) => ({ ...s, name: `member${i}/${s.name}` }))),
      weightData: data.buffer,
    };
  }

  async importArtifacts(artifacts: PredictorArtifacts, file: string): Promise<void> {
    const config = (
      artifacts.topology as {
        config?: { members?: { weightCount?: unknown; byteLength?: unknown; topology?: unknown }[] };
      }
    ).config;
    const stored = config?.members;
    if (!Array.isArray(stored) || stored.length !== this.members.length) {
      throw new ModelArtifactError(
        file,
        `holds an ensemble of ${Array.isArray(stored) ? stored.length : 'no'} members; this one has ${this.members.length}`,
      );
    }
    let specOffset = 0;
    let byteOffset = 0;
    for (const [i, member] of this.members.entries()) {
      const { weightCount, byteLength, topology } = stored[i];
      if (
        !Number.isInteger(weightCount) ||
        !Number.isInteger(byteLength) ||
        typeof topology !== 'object' ||
        topology === null
      ) {
        throw new ModelArtifactError(file, `ensemble member ${i}: weightCount, byteLength and topology are required`);
      }
      const specs = artifacts.weightSpecs
        .slice(specOffset, specOffset + (weightCount as number))
        .map((s) => ({ ...s, name: s.name.replace(/^member\d+\//, '') }));
      await member.predictor.importArtifacts(
        {
          topology: topology as Record<string, unknown>,
          weightSpecs: specs,
          weightData: artifacts.weightData.slice(byteOffset, byteOffset + (byteLength as number)),
        },
        `${file} (ensemble member ${i}, ${member.predictor.kind})`,
      );
      specOffset += weightCount as number;
      byteOffset += byteLength as number;
    }
  }
}
