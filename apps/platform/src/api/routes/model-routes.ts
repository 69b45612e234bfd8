import { NotFoundError } from '@rrr/core';
import { MODEL_STATUSES, type ModelRegistry, type ModelTrainingJobs, type RegisteredModel } from '@rrr/neural-network';
import type { FastifyInstance } from 'fastify';
import { errorResponses, idParamsSchema, nullable, timestampSchema } from '../api-schemas';
import { registerModelTrainingRoutes } from './model-training-routes';

export interface ModelRoutesDeps {
  models: {
    /** The ml_models registry (only its reads are used). */
    registry: Pick<ModelRegistry, 'list' | 'get'>;
    /**
     * The neural-network service's training jobs, when it runs in this process: `/api/v1/models/training` is served
     * only then (see model-training-routes.ts).
     */
    training?: ModelTrainingJobs;
  };
}

const TAGS = ['models'];

const modelProperties = {
  id: { type: 'integer', description: 'ml_models.id' },
  modelId: { type: 'string', description: 'name@version' },
  name: { type: 'string' },
  version: { type: 'integer' },
  kind: { type: 'string', description: 'logistic, mlp, lstm, ensemble…' },
  symbol: { type: 'string' },
  interval: { type: 'string' },
  horizonMs: { type: 'integer' },
  status: { type: 'string', enum: [...MODEL_STATUSES] },
  active: { type: 'boolean', description: 'served live for its symbol/interval/horizon' },
  metrics: { type: 'object', additionalProperties: true, description: 'evaluation figures recorded at training' },
  createdAt: timestampSchema,
} as const;

const modelSchema = { type: 'object', required: Object.keys(modelProperties), properties: modelProperties } as const;

const detailSchema = {
  type: 'object',
  required: [...Object.keys(modelProperties), 'features', 'hyperparameters', 'trainedFrom', 'trainedTo'],
  properties: {
    ...modelProperties,
    features: { type: 'array', items: { type: 'string' } },
    hyperparameters: { type: 'object', additionalProperties: true },
    trainedFrom: timestampSchema,
    trainedTo: timestampSchema,
    artifactUri: nullable('string'),
  },
} as const;

const summaryOf = (m: RegisteredModel) => ({
  id: m.id,
  modelId: m.modelId,
  name: m.name,
  version: m.version,
  kind: m.kind,
  symbol: m.symbol,
  interval: m.interval,
  horizonMs: m.horizonMs,
  status: m.status,
  active: m.status === 'active',
  metrics: m.metrics,
  createdAt: m.createdAt,
});

/** `/api/v1/models`: the trained predictors in ml_models, and training jobs when this process runs them. */
export function registerModelRoutes(app: FastifyInstance, deps: ModelRoutesDeps): void {
  const models = deps.models.registry;
  if (deps.models.training !== undefined) registerModelTrainingRoutes(app, { training: deps.models.training });

  app.get<{ Querystring: { symbol?: string; status?: (typeof MODEL_STATUSES)[number] } }>(
    '/api/v1/models',
    {
      schema: {
        tags: TAGS,
        summary: 'Registered models (ml_models), by name and version',
        querystring: {
          type: 'object',
          properties: {
            symbol: { type: 'string', maxLength: 20, description: 'only models of this symbol' },
            status: { type: 'string', enum: [...MODEL_STATUSES] },
          },
        },
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: modelSchema } } },
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const { symbol, status } = request.query;
      const list = await models.list({
        ...(symbol === undefined ? {} : { symbol }),
        ...(status === undefined ? {} : { status }),
      });
      return { items: list.map(summaryOf) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/models/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One model by ml_models.id, name@version, or name (its latest version)',
        params: idParamsSchema(80),
        response: { 200: detailSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      let model: RegisteredModel | undefined;
      if (/^\d+$/.test(id)) {
        // The registry looks models up by name; ml_models is small, so its list answers an id.
        model = (await models.list()).find((m) => m.id === Number(id));
        if (model === undefined) throw new NotFoundError('model', id);
      } else {
        model = await models.get(id);
      }
      return {
        ...summaryOf(model),
        features: model.features,
        hyperparameters: model.hyperparameters,
        trainedFrom: model.trainedFrom,
        trainedTo: model.trainedTo,
        artifactUri: model.artifactUri,
      };
    },
  );
}
