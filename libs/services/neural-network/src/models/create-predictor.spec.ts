import { ValidationError } from '@rrr/core';
import { createPredictor } from './create-predictor';
import { splitForValidation } from './early-stopping';

describe('createPredictor', () => {
  it('lists every bad and unknown hyperparameter in one error', async () => {
    const attempt = createPredictor({
      kind: 'mlp',
      inputSize: 4,
      hyperparameters: { hiddenUnits: [], learningRate: -1, dropout: 0.2 },
    });
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(
      createPredictor({
        kind: 'mlp',
        inputSize: 4,
        hyperparameters: { hiddenUnits: [], learningRate: -1, dropout: 0.2 },
      }),
    ).rejects.toThrow(
      'mlp hyperparameters: hiddenUnits: must be a non-empty list of integers in [1, 4096]; learningRate: must be a number in (0, 10]; dropout: is not a mlp hyperparameter',
    );
  });

  it('refuses unknown kinds, bad input sizes and nested ensembles', async () => {
    await expect(createPredictor({ kind: 'svm' as never, inputSize: 0 })).rejects.toThrow(
      'predictor spec: kind: must be one of logistic, mlp, lstm, ensemble; inputSize: must be a positive integer',
    );
    await expect(
      createPredictor({
        kind: 'ensemble',
        inputSize: 3,
        hyperparameters: { members: [{ kind: 'ensemble', weight: 0 }] },
      }),
    ).rejects.toThrow(
      'ensemble hyperparameters: members[0].kind: must be one of logistic, mlp, lstm; members[0].weight: must be a positive number',
    );
  });

  it('every kind checks its training data the same way before training', async () => {
    const window = [[0.1, 0.2, 0.3]];
    for (const kind of ['logistic', 'mlp', 'lstm', 'ensemble'] as const) {
      const predictor = await createPredictor({
        kind,
        inputSize: 3,
        hyperparameters:
          kind === 'lstm' ? { lookback: 1 } : kind === 'ensemble' ? { members: [{ kind: 'logistic' }] } : {},
      });
      await expect(predictor.fit({ windows: [window, window], labels: [0] })).rejects.toThrow(
        'training data: labels: 1 labels for 2 windows',
      );
      await expect(predictor.fit({ windows: [[[0.1, 0.2]]], labels: [0] })).rejects.toThrow(
        'training data: windows[0][0]: has 2 features; this predictor takes 3',
      );
      predictor.dispose();
    }
  });

  it('builds a logistic model without touching tfjs, with its defaults', async () => {
    const model = await createPredictor({ kind: 'logistic', inputSize: 3 });
    expect(model.describe()).toEqual({
      kind: 'logistic',
      lookback: 1,
      inputSize: 3,
      hyperparameters: { learningRate: 0.05, l2: 0.001, maxEpochs: 300, patience: 20 },
      parameters: 12,
    });
  });
});

describe('splitForValidation', () => {
  it('takes validation from the end and drops `gap` samples before it', () => {
    expect(splitForValidation(100, 0.2, 5)).toEqual({ trainEnd: 75, validationStart: 80 });
    expect(splitForValidation(100, 0, 5)).toEqual({ trainEnd: 100, validationStart: 100 });
    expect(() => splitForValidation(4, 0.5, 2)).toThrow(
      '4 samples leave 0 for training after a validation split of 2 and a gap of 2',
    );
  });
});
