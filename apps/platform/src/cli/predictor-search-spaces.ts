import type { ParameterSet, SearchSpace } from '@rrr/quantum-optimization';

/** Model kinds `rrr model tune|select-features` searches for (an ensemble is tuned through its members). */
export const SEARCHABLE_KINDS = ['logistic', 'mlp', 'lstm'] as const;
export type SearchableKind = (typeof SEARCHABLE_KINDS)[number];

/**
 * What `rrr model tune` searches per model kind: the settings that decide how much a model fits (learning rate,
 * L2, width), around each kind's defaults. Epoch caps and patience stay at the defaults: early stopping already
 * picks the epoch, and a bigger cap only buys wall time. An MLP's hidden layers are a choice of shapes, written
 * `32,16` (input side first).
 */
export const HYPERPARAMETER_SPACES: Record<SearchableKind, SearchSpace> = {
  logistic: {
    learningRate: { type: 'float', min: 0.003, max: 0.3, scale: 'log' },
    l2: { type: 'float', min: 1e-5, max: 0.1, scale: 'log' },
  },
  mlp: {
    hiddenUnits: { type: 'choice', values: ['16', '32', '64', '32,16', '64,32'] },
    l2: { type: 'float', min: 1e-6, max: 1e-2, scale: 'log' },
    learningRate: { type: 'float', min: 3e-4, max: 1e-2, scale: 'log' },
    batchSize: { type: 'choice', values: [32, 64, 128] },
  },
  lstm: {
    units: { type: 'choice', values: [8, 16, 32] },
    learningRate: { type: 'float', min: 5e-4, max: 1e-2, scale: 'log' },
    batchSize: { type: 'choice', values: [32, 64, 128, 256] },
  },
};

/** A point of a search space as the predictor's hyperparameters (hidden-layer shapes back to lists of units). */
export function toHyperparameters(kind: SearchableKind, parameters: ParameterSet): Record<string, unknown> {
  const out: Record<string, unknown> = { ...parameters };
  if (kind === 'mlp' && typeof parameters.hiddenUnits === 'string') {
    out.hiddenUnits = parameters.hiddenUnits.split(',').map(Number);
  }
  return out;
}
