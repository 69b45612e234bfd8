import { INTERVALS } from '@rrr/core';
import {
  OPTIMIZATION_JOB_STATUSES,
  OPTIMIZATION_METHOD_CHOICES,
  OPTIMIZATION_METHODS,
  OPTIMIZATION_REQUEST_DEFAULTS,
  OPTIMIZATION_REQUEST_FIELDS,
  OPTIMIZATION_REQUEST_LIMITS,
  PORTFOLIO_METHODS,
  type OptimizationRequest,
  type QuantumOptimizationService,
} from '@rrr/quantum-optimization';
import type { FastifyInstance } from 'fastify';
import {
  errorResponses,
  idParamsSchema,
  limitSchema,
  listSchema,
  nullable,
  symbolSchema,
  timeInputSchema,
  timestampSchema,
} from '../api-schemas';
import { rejectUnknownFields } from '../reject-unknown-fields';

export interface OptimizationRoutesDeps {
  optimizations: QuantumOptimizationService;
}

const TAGS = ['optimization'];
const LIST_LIMIT = { default: 50, max: 200 };
const idParams = idParamsSchema(100, 'the optimisation job id');
const LIMITS = OPTIMIZATION_REQUEST_LIMITS;
const DEFAULTS = OPTIMIZATION_REQUEST_DEFAULTS;

const bodySchema = {
  type: 'object',
  required: ['symbols'],
  description: 'Choose k of the symbols; μ and Σ are estimated from their stored closes on the bar times all share',
  properties: {
    symbols: {
      anyOf: [
        { type: 'array', items: symbolSchema, minItems: LIMITS.minSymbols, maxItems: LIMITS.maxSymbols },
        { type: 'string', minLength: 1, maxLength: 400, description: 'comma-separated' },
      ],
    },
    k: { type: 'integer', minimum: LIMITS.minK, description: 'assets to select; default half of them, rounded up' },
    method: {
      type: 'string',
      enum: [...OPTIMIZATION_METHOD_CHOICES],
      default: DEFAULTS.method,
      description: 'see GET /api/v1/optimizations/methods',
    },
    riskAversion: {
      type: 'number',
      minimum: LIMITS.minRiskAversion,
      description: `λ in return − λ·variance; default ${DEFAULTS.riskAversion}`,
    },
    seed: { type: 'integer', description: `seed of QAOA, annealing and tempering; default ${DEFAULTS.seed}` },
    interval: { type: 'string', enum: [...INTERVALS], default: DEFAULTS.interval },
    from: { ...timeInputSchema, description: 'first bar open used; default all stored bars' },
    to: { ...timeInputSchema, description: 'last bar open used (inclusive)' },
  },
} as const;

const holdingSchema = {
  type: 'object',
  required: ['symbol', 'weight'],
  properties: { symbol: { type: 'string' }, weight: { type: 'number' } },
} as const;

const runSchema = {
  type: 'object',
  required: [
    'method',
    'holdings',
    'feasible',
    'objective',
    'expectedReturn',
    'volatility',
    'evaluations',
    'wallTimeMs',
  ],
  properties: {
    method: { type: 'string', enum: [...PORTFOLIO_METHODS] },
    holdings: { type: 'array', items: holdingSchema },
    bitstring: nullable('string'),
    feasible: { type: 'boolean', description: 'holds exactly k assets' },
    objective: { type: 'number', description: 'μᵀw − λ·wᵀΣw' },
    expectedReturn: { type: 'number' },
    volatility: { type: 'number' },
    energy: nullable('number'),
    approximationRatio: nullable('number'),
    probabilityOfOptimum: { type: ['number', 'null'], description: 'QAOA: chance one measurement gives the optimum' },
    expectedEnergy: nullable('number'),
    evaluations: { type: 'integer' },
    wallTimeMs: { type: 'number' },
    notes: { type: 'string' },
  },
} as const;

const resultSchema = {
  type: ['object', 'null'],
  description: 'null until the job completed',
  properties: {
    symbols: { type: 'array', items: { type: 'string' } },
    k: { type: 'integer' },
    riskAversion: { type: 'number' },
    penalty: { type: 'number' },
    minimumPenalty: { type: 'number' },
    reference: {
      type: ['object', 'null'],
      properties: {
        bestObjective: { type: 'number' },
        worstObjective: { type: 'number' },
        best: { type: 'array', items: { type: 'string' } },
      },
    },
    runs: { type: 'array', items: runSchema },
    skipped: {
      type: 'array',
      items: { type: 'object', properties: { method: { type: 'string' }, reason: { type: 'string' } } },
    },
    winner: {
      type: 'object',
      properties: { method: nullable('string'), sentence: { type: 'string' } },
    },
  },
} as const;

const jobSchema = {
  type: 'object',
  required: ['id', 'status', 'request', 'inputs', 'result', 'submittedAt', 'startedAt', 'finishedAt'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: [...OPTIMIZATION_JOB_STATUSES] },
    request: {
      type: 'object',
      description: 'the request with its defaults applied',
      properties: {
        symbols: { type: 'array', items: { type: 'string' } },
        k: { type: 'integer' },
        method: { type: 'string' },
        riskAversion: { type: 'number' },
        seed: { type: 'integer' },
        interval: { type: 'string' },
        from: nullable('integer'),
        to: nullable('integer'),
      },
    },
    inputs: {
      type: 'object',
      description: 'annualised expected returns and covariance of daily log returns',
      properties: {
        symbols: { type: 'array', items: { type: 'string' } },
        expectedReturns: { type: 'array', items: { type: 'number' } },
        covariance: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
        observations: { type: 'integer', description: 'returns per symbol' },
        periodsPerYear: { type: 'number' },
        firstTs: timestampSchema,
        lastTs: timestampSchema,
      },
    },
    result: resultSchema,
    error: { type: 'string' },
    submittedAt: timestampSchema,
    startedAt: nullable('integer'),
    finishedAt: nullable('integer'),
  },
} as const;

const methodSchema = {
  type: 'object',
  required: ['id', 'description', 'answers', 'maxAssets', 'reads', 'limits'],
  properties: {
    id: { type: 'string', enum: [...OPTIMIZATION_METHOD_CHOICES], description: 'what the request’s `method` takes' },
    description: { type: 'string' },
    answers: {
      type: 'string',
      enum: ['selection', 'weights', 'comparison'],
      description: 'selection: k assets in equal weights; weights: continuous weights; comparison: every method',
    },
    maxAssets: { type: ['integer', 'null'], description: 'most symbols the method handles; null: the request’s limit' },
    reads: {
      type: 'array',
      items: { type: 'string', enum: ['k', 'riskAversion', 'seed'] },
      description: 'the request fields its answer depends on, beyond the symbols and their bars',
    },
    limits: { type: 'string', description: 'what it needs or where it stops' },
  },
} as const;

const requestFieldSchema = {
  type: 'object',
  required: ['name', 'type', 'required', 'default', 'description'],
  properties: {
    name: { type: 'string', enum: OPTIMIZATION_REQUEST_FIELDS.map((f) => f.name) },
    type: {
      type: 'string',
      enum: ['symbols', 'integer', 'number', 'choice', 'time'],
      description: 'symbols: a list or comma-separated text; time: epoch ms or ISO-8601; choice: one of choices',
    },
    required: { type: 'boolean' },
    default: {
      type: ['number', 'string', 'null'],
      description: 'null: no fixed default (k follows the symbols; from/to default to all stored bars)',
    },
    min: { type: 'number', description: 'inclusive; for symbols, the fewest symbols' },
    max: { type: 'number', description: 'inclusive; for symbols, the most symbols' },
    choices: { type: 'array', items: { type: 'string' } },
    description: { type: 'string' },
  },
} as const;

/** `/api/v1/optimizations`: portfolio optimisation jobs on the quantum-optimization service. */
export function registerOptimizationRoutes(app: FastifyInstance, deps: OptimizationRoutesDeps): void {
  const { optimizations } = deps;

  app.get(
    '/api/v1/optimizations/methods',
    {
      schema: {
        tags: TAGS,
        summary:
          'The methods an optimisation runs by id (what each does, reads and handles), and the request’s fields with their defaults and bounds',
        response: {
          200: {
            type: 'object',
            required: ['items', 'fields'],
            properties: {
              items: { type: 'array', items: methodSchema },
              fields: { type: 'array', items: requestFieldSchema, description: 'the fields POST takes' },
            },
          },
        },
      },
    },
    async () => ({ items: OPTIMIZATION_METHODS, fields: OPTIMIZATION_REQUEST_FIELDS }),
  );

  app.post<{ Body: OptimizationRequest }>(
    '/api/v1/optimizations',
    {
      schema: {
        tags: TAGS,
        summary: 'Start a portfolio optimisation (scope trade): exact, QAOA, annealing, tempering and/or mean-variance',
        body: bodySchema,
        response: { 202: jobSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      rejectUnknownFields(request.body, bodySchema, 'optimisation request');
      return reply.status(202).send(await optimizations.submit(request.body));
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    '/api/v1/optimizations',
    {
      schema: {
        tags: TAGS,
        summary: 'Optimisation jobs of every process on this database, newest submitted first',
        querystring: { type: 'object', properties: { limit: limitSchema(LIST_LIMIT.default, LIST_LIMIT.max) } },
        response: {
          200: listSchema(jobSchema),
          ...errorResponses(400),
        },
      },
    },
    async (request) => ({ items: await optimizations.jobs({ limit: request.query.limit }) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/optimizations/:id',
    {
      schema: {
        tags: TAGS,
        summary:
          'An optimisation job (of any process on this database): status, inputs and (once completed) every method’s result and the winner',
        params: idParams,
        response: { 200: jobSchema, ...errorResponses(404) },
      },
    },
    async (request) => optimizations.job(request.params.id),
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/optimizations/:id/cancel',
    {
      schema: {
        tags: TAGS,
        summary: 'Cancel an optimisation job of this process (scope trade)',
        description:
          'A queued job ends cancelled at once; a running solve has its worker terminated and ends cancelled ' +
          'moments later: poll the job. 409 when the job already ended; 404 for a job this process does not hold.',
        params: idParams,
        response: { 202: jobSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(202).send(optimizations.cancel(request.params.id)),
  );
}
