import { INTERVALS, JOB_STATUSES } from '@rrr/core';
import {
  MIN_TRAINING_BARS,
  MODEL_STATUSES,
  PREDICTOR_KINDS,
  type ModelTrainingJobs,
  type TrainingJob,
} from '@rrr/neural-network';
import type { FastifyInstance } from 'fastify';
import {
  errorResponses,
  idParamsSchema,
  limitSchema,
  listSchema,
  nullable,
  symbolSchema,
  timestampSchema,
} from '../api-schemas';

export interface ModelTrainingRoutesDeps {
  training: ModelTrainingJobs;
}

const TAGS = ['models'];
const idParams = idParamsSchema(100, 'the training job id');
const LIST_LIMIT = { default: 50, max: 200 };

const bodySchema = {
  type: 'object',
  required: ['symbol'],
  description:
    'What `rrr model train` takes, checked in full (every problem named by its field, and that the series has at ' +
    `least ${MIN_TRAINING_BARS} stored bars) before the job is queued`,
  properties: {
    symbol: { ...symbolSchema, description: 'the series to learn from, e.g. SPX' },
    kind: { type: 'string', description: `model kind: ${PREDICTOR_KINDS.join(', ')}; default logistic` },
    interval: { type: 'string', description: `bar interval: ${INTERVALS.join(', ')}; default 1d` },
    horizon: { type: 'string', description: 'label horizon, a whole multiple of the interval; default one bar' },
    threshold: {
      type: 'number',
      description: "flat band of the labels as a fraction (0.005 = 0.5 %); default the horizon's (1d: 0.003)",
    },
    hyperparameters: {
      type: 'object',
      additionalProperties: true,
      description: 'per kind, e.g. { "maxEpochs": 100, "learningRate": 0.01 }; unknown names are refused',
    },
    features: {
      type: 'array',
      items: { type: 'string' },
      description: 'feature subset; default all 33',
    },
    activate: { type: 'boolean', description: 'serve the new version live once registered; default true' },
    name: { type: 'string', description: 'registry name; default <symbol>-<kind>-<horizon> in lower case' },
  },
} as const;

const progressSchema = {
  type: 'object',
  required: ['stage', 'message', 'epoch', 'maxEpochs', 'member', 'fraction'],
  properties: {
    stage: {
      type: ['string', 'null'],
      enum: ['data', 'fold', 'epoch', 'evaluate', 'save', 'done', null],
      description: 'the pipeline’s last stage; null until the worker reported',
    },
    message: { type: 'string' },
    epoch: nullable('integer'),
    maxEpochs: {
      type: ['integer', 'null'],
      description: 'most epochs of the current model; early stopping may end it sooner',
    },
    member: { type: ['string', 'null'], description: 'ensemble member being fitted' },
    fraction: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;

const jobSchema = {
  type: 'object',
  required: ['id', 'status', 'request', 'progress', 'fraction', 'submittedAt', 'startedAt', 'finishedAt', 'result'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: [...JOB_STATUSES] },
    request: {
      type: 'object',
      description: 'the request with every default filled in',
      required: ['symbol', 'kind', 'interval', 'horizon', 'threshold', 'hyperparameters', 'activate', 'name'],
      properties: {
        symbol: { type: 'string' },
        kind: { type: 'string', enum: [...PREDICTOR_KINDS] },
        interval: { type: 'string' },
        horizon: { type: 'string' },
        threshold: { type: 'number' },
        hyperparameters: { type: 'object', additionalProperties: true },
        features: { type: 'array', items: { type: 'string' } },
        activate: { type: 'boolean' },
        name: { type: 'string' },
      },
    },
    progress: progressSchema,
    fraction: { type: 'number', minimum: 0, maximum: 1, description: 'progress.fraction, for a progress bar' },
    submittedAt: timestampSchema,
    startedAt: nullable('integer'),
    finishedAt: nullable('integer'),
    error: { type: 'string', description: 'why the job failed or was cancelled' },
    result: {
      type: ['object', 'null'],
      description: 'what a completed job registered',
      required: ['model', 'id', 'status', 'served', 'verdict', 'holdoutAccuracy'],
      properties: {
        model: { type: 'string', description: 'name@version' },
        id: { type: 'integer', description: 'ml_models.id' },
        status: { type: 'string', enum: [...MODEL_STATUSES] },
        served: { type: 'boolean', description: 'the live service of this process serves it already' },
        verdict: { type: 'array', items: { type: 'string' }, description: 'holdout comparison with the baselines' },
        holdoutAccuracy: nullable('number'),
      },
    },
  },
} as const;

const viewOf = (job: TrainingJob) => ({ ...job, fraction: job.progress.fraction });

/**
 * `/api/v1/models/training`: `rrr model train` as jobs of the neural-network service, trained on a worker thread and
 * stored (model_training_runs), so any process on the database reads them; cancelling is for the process holding one.
 * Starting and cancelling one needs scope trade, as backtest and optimisation jobs do: a job computes and registers
 * a model; activating it changes the predictions and signals the platform publishes, not its orders or risk limits
 * (the admin routes' concern).
 */
export function registerModelTrainingRoutes(app: FastifyInstance, deps: ModelTrainingRoutesDeps): void {
  const { training } = deps;

  app.post<{ Body: Record<string, unknown> }>(
    '/api/v1/models/training',
    {
      schema: {
        tags: TAGS,
        summary: 'Train a model (scope trade): queued, then trained on a worker thread and registered (and activated)',
        body: bodySchema,
        response: {
          202: {
            type: 'object',
            required: ['id', 'status', 'submittedAt'],
            properties: {
              id: { type: 'string', description: 'the job id' },
              status: { type: 'string', enum: ['queued', 'running'] },
              submittedAt: timestampSchema,
            },
          },
          ...errorResponses(400, 401, 403, 503),
        },
      },
    },
    async (request, reply) => {
      const job = await training.submit(request.body);
      return reply.status(202).send({ id: job.id, status: job.status, submittedAt: job.submittedAt });
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    '/api/v1/models/training',
    {
      schema: {
        tags: TAGS,
        summary: 'Training jobs of every process on this database, newest submitted first',
        querystring: { type: 'object', properties: { limit: limitSchema(LIST_LIMIT.default, LIST_LIMIT.max) } },
        response: { 200: listSchema(jobSchema), ...errorResponses(400) },
      },
    },
    async (request) => ({ items: (await training.jobs({ limit: request.query.limit })).map(viewOf) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/models/training/:id',
    {
      schema: {
        tags: TAGS,
        summary:
          "A training job's (of any process on this database) status, progress (stage, epoch) and, once completed, the model it registered",
        params: idParams,
        response: { 200: jobSchema, ...errorResponses(404) },
      },
    },
    async (request) => viewOf(await training.job(request.params.id)),
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/models/training/:id/cancel',
    {
      schema: {
        tags: TAGS,
        summary: 'Cancel a training job of this process (scope trade)',
        description:
          'A queued job ends cancelled at once; a running one has its worker terminated and ends cancelled once it ' +
          'has exited: read the job. 409 when the job already ended; 404 for a job this process does not hold.',
        params: idParams,
        response: { 202: jobSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(202).send(viewOf(training.cancel(request.params.id))),
  );
}
