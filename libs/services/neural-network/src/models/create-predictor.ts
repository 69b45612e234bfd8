import { ValidationError, type FieldProblem } from '@rrr/core';
import type { BasePredictor } from './base-predictor';
import { storedPredictorDescription } from './base-predictor';
import {
  ENSEMBLE_DEFAULT_MEMBERS,
  EnsemblePredictor,
  type EnsembleMember,
  type EnsembleMemberKind,
  type EnsembleMemberSpec,
} from './ensemble-predictor';
import { FileModelHandler } from './file-model-handler';
import { HyperparameterReader } from './hyperparameter-reader';
import { ModelArtifactError } from './model-artifact-error';
import { LogisticRegressionPredictor, resolveLogisticRegressionHyperparameters } from './logistic-regression-predictor';
import { LstmPredictor, resolveLstmHyperparameters } from './lstm-predictor';
import { MlpPredictor, resolveMlpHyperparameters } from './mlp-predictor';
import { PREDICTOR_KINDS, type Predictor, type PredictorKind } from './predictor';
import { useTfBackend, type TfBackendName } from './tf-backend';

export interface PredictorSpec {
  kind: PredictorKind;
  /** Features per row. */
  inputSize: number;
  /** Kind-specific; unknown keys are rejected, missing ones take the kind's defaults. */
  hyperparameters?: Record<string, unknown>;
  /** tfjs backend for the networks; default 'wasm'. */
  backend?: TfBackendName;
}

const MEMBER_KINDS: readonly EnsembleMemberKind[] = ['logistic', 'mlp', 'lstm'];

function resolveEnsembleMembers(input: unknown): EnsembleMemberSpec[] {
  const r = new HyperparameterReader('ensemble', input);
  const raw = r.take('members') ?? ENSEMBLE_DEFAULT_MEMBERS;
  r.done();
  const problems: FieldProblem[] = [];
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ValidationError('ensemble hyperparameters', [
      { field: 'members', message: 'must be a non-empty list of { kind, weight, hyperparameters? }' },
    ]);
  }
  const members = raw.map((m: Partial<EnsembleMemberSpec>, i) => {
    if (!MEMBER_KINDS.includes(m.kind as EnsembleMemberKind)) {
      problems.push({
        field: `members[${i}].kind`,
        message: `must be one of ${MEMBER_KINDS.join(', ')}`,
        value: m.kind,
      });
    }
    const weight = m.weight ?? 1;
    if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) {
      problems.push({ field: `members[${i}].weight`, message: 'must be a positive number', value: m.weight });
    }
    return { kind: m.kind as EnsembleMemberKind, weight, hyperparameters: m.hyperparameters };
  });
  if (problems.length > 0) throw new ValidationError('ensemble hyperparameters', problems);
  return members;
}

function buildPredictor(kind: PredictorKind, inputSize: number, hyperparameters: unknown): BasePredictor {
  switch (kind) {
    case 'logistic':
      return new LogisticRegressionPredictor(inputSize, resolveLogisticRegressionHyperparameters(hyperparameters));
    case 'mlp':
      return new MlpPredictor(inputSize, resolveMlpHyperparameters(hyperparameters));
    case 'lstm':
      return new LstmPredictor(inputSize, resolveLstmHyperparameters(hyperparameters));
    case 'ensemble': {
      const members: EnsembleMember[] = resolveEnsembleMembers(hyperparameters).map((m) => ({
        predictor: buildPredictor(m.kind, inputSize, m.hyperparameters),
        weight: m.weight,
      }));
      return new EnsemblePredictor(inputSize, members);
    }
  }
}

/**
 * Checks `hyperparameters` for `kind` as createPredictor would (one ValidationError listing every wrong or unknown
 * key), without building anything: for a request that is queued now and trained elsewhere later.
 */
export function checkPredictorHyperparameters(kind: PredictorKind, hyperparameters: unknown): void {
  switch (kind) {
    case 'logistic':
      resolveLogisticRegressionHyperparameters(hyperparameters);
      return;
    case 'mlp':
      resolveMlpHyperparameters(hyperparameters);
      return;
    case 'lstm':
      resolveLstmHyperparameters(hyperparameters);
      return;
    case 'ensemble': {
      const problems: FieldProblem[] = [];
      resolveEnsembleMembers(hyperparameters).forEach((member, i) => {
        try {
          checkPredictorHyperparameters(member.kind, member.hyperparameters);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          problems.push(...err.problems.map((p) => ({ ...p, field: `members[${i}].hyperparameters.${p.field}` })));
        }
      });
      if (problems.length > 0) throw new ValidationError('ensemble hyperparameters', problems);
    }
  }
}

function needsTf(kind: PredictorKind, hyperparameters: unknown): boolean {
  if (kind === 'ensemble') {
    const members =
      (hyperparameters as { members?: { kind?: unknown }[] } | undefined)?.members ?? ENSEMBLE_DEFAULT_MEMBERS;
    return !Array.isArray(members) || members.some((m) => m?.kind !== 'logistic');
  }
  return kind !== 'logistic';
}

function internalPredictor(spec: PredictorSpec): Promise<BasePredictor> {
  const problems: FieldProblem[] = [];
  if (!PREDICTOR_KINDS.includes(spec.kind)) {
    problems.push({ field: 'kind', message: `must be one of ${PREDICTOR_KINDS.join(', ')}`, value: spec.kind });
  }
  if (!Number.isInteger(spec.inputSize) || spec.inputSize < 1) {
    problems.push({ field: 'inputSize', message: 'must be a positive integer', value: spec.inputSize });
  }
  if (problems.length > 0) return Promise.reject(new ValidationError('predictor spec', problems));
  const ready = needsTf(spec.kind, spec.hyperparameters) ? useTfBackend(spec.backend) : Promise.resolve();
  return ready.then(() => buildPredictor(spec.kind, spec.inputSize, spec.hyperparameters));
}

/** A new, untrained predictor of `spec.kind` (the tfjs backend is made ready first when the kind needs it). */
export function createPredictor(spec: PredictorSpec): Promise<Predictor> {
  return internalPredictor(spec);
}

/**
 * Hyperparameters added after models were first saved, with the value every model saved before them was trained
 * with: a stored description without the key means that value, not today's default.
 */
const DEFAULTS_OF_OLDER_MODELS: Partial<Record<PredictorKind, Record<string, unknown>>> = {
  lstm: { recurrentActivation: 'hardSigmoid' },
};

function withSavedDefaults(kind: PredictorKind, hyperparameters: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'ensemble' && Array.isArray(hyperparameters.members)) {
    return {
      ...hyperparameters,
      members: hyperparameters.members.map((m: { kind?: PredictorKind; hyperparameters?: Record<string, unknown> }) =>
        m?.kind === undefined ? m : { ...m, hyperparameters: withSavedDefaults(m.kind, m.hyperparameters ?? {}) },
      ),
    };
  }
  return { ...DEFAULTS_OF_OLDER_MODELS[kind], ...hyperparameters };
}

export interface LoadedPredictor {
  predictor: Predictor;
  /** What the saver stored next to the weights (see Predictor.save). */
  metadata: Record<string, unknown> | undefined;
}

/**
 * The predictor saved in `dir`, rebuilt from the description in its model.json. Fails with a ModelArtifactError
 * naming the file and the problem when the files are missing, corrupt or inconsistent.
 */
export async function loadPredictor(dir: string, options: { backend?: TfBackendName } = {}): Promise<LoadedPredictor> {
  const handler = new FileModelHandler(dir);
  const json = await handler.readModelJson();
  const stored = storedPredictorDescription(json.userDefinedMetadata, handler.modelJsonPath);
  let predictor: Predictor;
  try {
    predictor = await internalPredictor({
      kind: stored.kind,
      inputSize: stored.inputSize,
      hyperparameters: withSavedDefaults(stored.kind, stored.hyperparameters),
      backend: options.backend,
    });
  } catch (err) {
    if (err instanceof ValidationError)
      throw new ModelArtifactError(handler.modelJsonPath, `stored predictor: ${err.message}`);
    throw err;
  }
  try {
    const metadata = await predictor.load(dir);
    return { predictor, metadata };
  } catch (err) {
    predictor.dispose();
    throw err;
  }
}
