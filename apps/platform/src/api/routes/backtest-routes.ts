import {
  BACKTEST_JOB_STATUSES,
  BACKTEST_STRATEGIES,
  BACKTEST_STRATEGY_NAMES,
  FILL_TIMINGS,
  type BacktestingService,
  type BacktestRequest,
  type BacktestRunRecord,
} from '@rrr/backtesting';
import { INTERVALS, ValidationError } from '@rrr/core';
import type { FastifyInstance } from 'fastify';
import {
  errorResponses,
  idParamsSchema,
  limitSchema,
  nullable,
  symbolSchema,
  timeInputSchema,
  timestampSchema,
} from '../api-schemas';
import { rejectUnknownFields } from '../reject-unknown-fields';

export interface BacktestRoutesDeps {
  backtesting: BacktestingService;
}

const LIST_LIMIT = { default: 50, max: 200 };
const TAGS = ['backtests'];

const idParams = idParamsSchema(100, 'the run (and job) id');

const bodySchema = {
  type: 'object',
  required: ['strategy'],
  description:
    'What `rrr backtest` takes; checked in full (strategy, parameters, range against the data) before queueing',
  properties: {
    strategy: {
      type: 'string',
      minLength: 1,
      maxLength: 50,
      description: `one of ${BACKTEST_STRATEGY_NAMES.join(', ')}`,
    },
    symbol: { type: 'string', minLength: 1, maxLength: 200, description: 'one symbol or a comma-separated list' },
    symbols: {
      anyOf: [
        { type: 'array', items: symbolSchema, minItems: 1, maxItems: 20 },
        { type: 'string', minLength: 1, maxLength: 200 },
      ],
      description: 'the symbols (or use `symbol`)',
    },
    from: { ...timeInputSchema, description: 'first bar open included; default where the data starts' },
    to: {
      ...timeInputSchema,
      description: 'last bar open included (a date includes that day); default where the data ends',
    },
    params: {
      type: 'object',
      additionalProperties: { anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }] },
      description: 'strategy parameters, e.g. { "fast": 20, "slow": 50 }',
    },
    interval: { type: 'string', enum: [...INTERVALS], default: '1d' },
    initialCapital: { type: 'number' },
    commissionRate: { type: 'number', description: 'fee per fill as a fraction of notional' },
    slippage: {
      anyOf: [{ type: 'number' }, { type: 'object', required: ['model'], properties: { model: { type: 'string' } } }],
      description: 'basis points (fixed model) or { model: fixed|volume|volatility, … }',
    },
    fillTiming: { type: 'string', enum: [...FILL_TIMINGS] },
    allowShort: { type: 'boolean' },
    positionFraction: { type: 'number', description: 'equity per position, a fraction' },
    risk: { anyOf: [{ type: 'boolean' }, { type: 'object' }], description: 'true, limit overrides, or false' },
    stops: { anyOf: [{ type: 'boolean' }, { type: 'object' }], description: 'true = 2 % stop, 3:1 take-profit' },
    barVolumeShare: { type: ['number', 'null'] },
    warmup: { type: 'string', enum: ['history', 'in-range'] },
    riskFreeRate: { type: 'number' },
    periodsPerYear: { type: 'number' },
    name: { type: 'string', maxLength: 200 },
  },
} as const;

const metricsSummary = {
  type: ['object', 'null'],
  description: 'headline figures of the strategy (null until the run completed)',
  properties: {
    totalReturn: nullable('number'),
    cagr: nullable('number'),
    sharpe: nullable('number'),
    sortino: nullable('number'),
    maxDrawdown: { type: 'number', description: 'largest fall from a running peak, a positive fraction' },
    winRate: nullable('number'),
    closedTrades: { type: 'integer' },
    finalEquity: nullable('number'),
  },
} as const;

const summaryProperties = {
  id: { type: 'string' },
  name: nullable('string'),
  strategy: { type: 'string' },
  symbols: { type: 'array', items: { type: 'string' } },
  interval: { type: 'string' },
  from: { ...timestampSchema, description: 'first bar open of the range, epoch ms' },
  to: { ...timestampSchema, description: 'end of the range (exclusive), epoch ms' },
  status: {
    type: 'string',
    enum: ['queued', 'running', 'completed', 'failed'],
    description: 'queued: submitted to the backtesting service, waiting for a slot',
  },
  createdAt: timestampSchema,
  finishedAt: nullable('integer'),
  error: nullable('string'),
  metrics: metricsSummary,
} as const;

const summarySchema = {
  type: 'object',
  required: Object.keys(summaryProperties),
  properties: summaryProperties,
} as const;

const anyMetrics = { type: ['object', 'null'], additionalProperties: true } as const;

const detailSchema = {
  type: 'object',
  required: [...Object.keys(summaryProperties), 'params', 'initialCapital', 'benchmarkMetrics', 'equity', 'trades'],
  properties: {
    ...summaryProperties,
    metrics: { ...anyMetrics, description: 'every metric of the strategy (see the backtesting README)' },
    params: { type: 'object', additionalProperties: true },
    settings: anyMetrics,
    initialCapital: { type: 'number' },
    finalEquity: nullable('number'),
    benchmarkMetrics: { ...anyMetrics, description: 'the same metrics for buy-and-hold of the symbols' },
    equity: {
      type: 'array',
      description: 'one point per bar close; empty for runs stored without their curve',
      items: {
        type: 'object',
        required: ['ts', 'equity', 'drawdown'],
        properties: {
          ts: timestampSchema,
          equity: { type: 'number' },
          drawdown: { type: 'number', description: '≤ 0: equity / running peak − 1' },
        },
      },
    },
    trades: {
      type: 'array',
      description: 'round trips in entry order; open ones have null exit',
      items: {
        type: 'object',
        required: ['symbol', 'direction', 'quantity', 'entryTs', 'entryPrice', 'exitTs', 'exitPrice', 'pnl'],
        properties: {
          symbol: { type: 'string' },
          direction: { type: 'string', enum: ['long', 'short'] },
          quantity: { type: 'number' },
          entryTs: timestampSchema,
          entryPrice: { type: 'number' },
          exitTs: nullable('integer'),
          exitPrice: nullable('number'),
          pnl: nullable('number'),
          returnPct: { type: ['number', 'null'], description: 'percent (5 = +5 %)' },
          fees: { type: 'number' },
          exitReason: nullable('string'),
        },
      },
    },
  },
} as const;

const progressSchema = {
  type: 'object',
  required: ['id', 'status', 'fraction', 'barsProcessed', 'barsTotal'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: [...BACKTEST_JOB_STATUSES] },
    fraction: { type: 'number', minimum: 0, maximum: 1 },
    barsProcessed: { type: ['integer', 'null'] },
    barsTotal: { type: ['integer', 'null'], description: 'null until the replay reported once' },
    error: { type: 'string' },
  },
} as const;

function summaryOf(run: BacktestRunRecord) {
  const m = run.metrics?.strategy;
  return {
    id: run.id,
    name: run.name,
    strategy: run.strategy,
    symbols: run.symbols,
    interval: run.interval,
    from: run.startTs,
    to: run.endTs,
    status: run.status,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    error: run.error,
    metrics:
      m === undefined
        ? null
        : {
            totalReturn: m.totalReturn,
            cagr: m.cagr,
            sharpe: m.sharpe,
            sortino: m.sortino,
            maxDrawdown: m.maxDrawdown,
            winRate: m.winRate,
            closedTrades: m.closedTrades,
            finalEquity: run.finalEquity,
          },
  };
}

/** The stored curve with the drawdown from its running peak (≤ 0, the sign the portfolio equity route uses). */
function equityPoints(curve: { ts: number[]; equity: number[] } | undefined) {
  if (curve === undefined) return [];
  let peak = Number.NEGATIVE_INFINITY;
  return curve.ts.map((ts, i) => {
    const equity = curve.equity[i];
    peak = Math.max(peak, equity);
    return { ts, equity, drawdown: peak > 0 ? equity / peak - 1 : 0 };
  });
}

/** `symbol` (as `rrr backtest --symbol`) or `symbols`, not both. */
function requestOf(body: Record<string, unknown>): BacktestRequest {
  const { symbol, symbols, ...rest } = body;
  if (symbol !== undefined && symbols !== undefined) {
    throw new ValidationError('backtest request', [
      { field: 'symbols', message: 'give symbols or symbol, not both', value: { symbol, symbols } },
    ]);
  }
  return { ...rest, symbols: (symbols ?? symbol) as BacktestRequest['symbols'] } as BacktestRequest;
}

const strategySchema = {
  type: 'object',
  required: ['name', 'description', 'parameters'],
  properties: {
    name: { type: 'string', enum: [...BACKTEST_STRATEGY_NAMES] },
    description: { type: 'string' },
    parameters: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'type', 'default', 'description'],
        properties: {
          name: { type: 'string' },
          type: { type: 'string', enum: ['integer', 'number', 'boolean'] },
          default: { type: ['integer', 'number', 'boolean'] },
          min: { type: 'number' },
          max: { type: 'number' },
          description: { type: 'string' },
        },
      },
    },
  },
} as const;

/** `/api/v1/backtests`: stored runs, and backtest jobs on the backtesting service. */
export function registerBacktestRoutes(app: FastifyInstance, deps: BacktestRoutesDeps): void {
  const { backtesting } = deps;

  app.get(
    '/api/v1/backtests/strategies',
    {
      schema: {
        tags: TAGS,
        summary: 'The strategies a backtest runs by name, with each parameter’s type, default and bounds',
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: strategySchema } } },
        },
      },
    },
    async () => ({
      items: Object.values(BACKTEST_STRATEGIES).map(({ name, description, parameters }) => ({
        name,
        description,
        parameters,
      })),
    }),
  );

  app.get<{ Querystring: { limit: number; strategy?: string } }>(
    '/api/v1/backtests',
    {
      schema: {
        tags: TAGS,
        summary: 'Stored backtest runs, newest first',
        querystring: {
          type: 'object',
          properties: {
            limit: limitSchema(LIST_LIMIT.default, LIST_LIMIT.max),
            strategy: { type: 'string', maxLength: 50, description: 'only runs of this strategy' },
          },
        },
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: summarySchema } } },
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const { limit, strategy } = request.query;
      const runs = await backtesting.listRuns({ limit, ...(strategy === undefined ? {} : { strategy }) });
      return { items: runs.map(summaryOf) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/backtests/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One stored run: parameters, metrics, benchmark metrics, equity curve and round trips',
        params: idParams,
        response: { 200: detailSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { run, trades } = await backtesting.getRun(request.params.id);
      return {
        ...summaryOf(run),
        metrics: run.metrics?.strategy ?? null,
        params: run.parameters,
        settings: run.metrics?.settings ?? null,
        initialCapital: run.initialCapital,
        finalEquity: run.finalEquity,
        benchmarkMetrics: run.metrics?.benchmark ?? null,
        equity: equityPoints(run.metrics?.equity),
        trades,
      };
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/api/v1/backtests',
    {
      schema: {
        tags: TAGS,
        summary: 'Start a backtest (scope trade); answers once it is queued',
        body: bodySchema,
        response: {
          202: {
            type: 'object',
            required: ['id', 'status', 'submittedAt'],
            properties: {
              id: { type: 'string', description: 'the job id, also the id of the stored run' },
              status: { type: 'string', enum: ['queued', 'running'] },
              submittedAt: timestampSchema,
            },
          },
          ...errorResponses(400, 401, 403, 503),
        },
      },
    },
    async (request, reply) => {
      rejectUnknownFields(request.body, bodySchema, 'backtest request');
      const job = await backtesting.submit(requestOf(request.body));
      return reply.status(202).send({ id: job.id, status: job.status, submittedAt: job.submittedAt });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/backtests/:id/progress',
    {
      schema: {
        tags: TAGS,
        summary: "A backtest job's status and share of bars replayed",
        params: idParams,
        response: { 200: progressSchema, ...errorResponses(404) },
      },
    },
    async (request) => backtesting.progress(request.params.id),
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/backtests/:id/cancel',
    {
      schema: {
        tags: TAGS,
        summary: 'Cancel a backtest job of this process (scope trade)',
        description:
          'A queued job ends cancelled at once; a running replay is aborted and ends cancelled (its stored run failed) ' +
          'once it has stopped: poll the progress. 409 when the job already ended; 404 for a job this process does ' +
          'not hold.',
        params: idParams,
        response: { 202: progressSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      backtesting.cancel(request.params.id);
      return reply.status(202).send(await backtesting.progress(request.params.id));
    },
  );
}
