// Entry of a training worker thread (bundled on the fly by trainingWorkerScript): runs `rrr model train`'s pipeline
// for the one request it is sent, on its own database connection, and reports progress as it goes. tfjs training
// blocks the thread it runs on for seconds to minutes, so it never runs on the thread that serves the API.
import { errorMessage, openDatabase, ValidationError } from '@rrr/core';
import { parentPort } from 'node:worker_threads';
import { trainModel } from './train-model';
import type { TrainingWorkerMessage, TrainingWorkerRequest } from './training-worker-protocol';

const port = parentPort;
if (port === null) throw new Error('training-worker must run in a worker thread');

const send = (message: TrainingWorkerMessage): void => port.postMessage(message);

port.once('message', (message: TrainingWorkerRequest) => {
  void (async () => {
    try {
      const db = await openDatabase({ ...message.database, poolMax: 2 });
      try {
        const { request } = message;
        const result = await trainModel(
          { db, modelsDir: message.modelsDir },
          {
            symbol: request.symbol,
            kind: request.kind,
            interval: request.interval,
            horizon: request.horizon,
            threshold: request.threshold,
            hyperparameters: request.hyperparameters,
            ...(request.features === undefined ? {} : { features: request.features }),
            name: request.name,
            activate: request.activate,
          },
          (progress) => send({ type: 'progress', progress }),
        );
        send({
          type: 'done',
          model: result.model,
          id: result.record.id,
          status: result.record.status,
          verdict: result.holdout?.verdict ?? [],
          holdoutAccuracy: result.holdout?.model.accuracy ?? null,
        });
      } finally {
        await db.close();
      }
    } catch (error) {
      send({
        type: 'failed',
        message: errorMessage(error),
        ...(error instanceof ValidationError ? { problems: error.problems } : {}),
      });
    }
  })();
});
