import type { RiskAlert, RiskManagementService, VarMethod } from '@rrr/risk-management';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorResponses, limitSchema, nullable, timestampSchema } from '../api-schemas';
import { rejectUnknownFields } from '../reject-unknown-fields';

export interface RiskRoutesDeps {
  risk: RiskManagementService;
}

const ALERTS_LIMIT = { default: 100, max: 1_000 };
const VAR_METHODS: readonly VarMethod[] = ['historical', 'parametric', 'monte-carlo'];

const fraction = (description: string) => ({ type: 'number', description }) as const;

const limitsSchema = {
  type: 'object',
  description: 'The configured limits (config `risk`); fractions are of equity unless said otherwise',
  required: [
    'maxPositionPct',
    'maxOpenPositions',
    'dailyLossLimitPct',
    'dailyLossWarnPct',
    'weeklyLossLimitPct',
    'monthlyLossLimitPct',
    'maxDrawdownPct',
    'maxLeverage',
    'maxConcentrationPct',
    'maxVar95Pct',
    'maxVolatility',
    'maxOrderNotional',
    'criticalMultiplier',
    'alertCooldownMs',
    'circuitBreakerResetUtc',
  ],
  properties: {
    maxPositionPct: fraction('largest projected position in one symbol'),
    maxOpenPositions: { type: 'integer', description: 'most symbols with a position or an opening order' },
    dailyLossLimitPct: fraction('loss since the risk day began that halts new exposure'),
    dailyLossWarnPct: fraction('daily loss that raises a warning'),
    weeklyLossLimitPct: fraction('loss since Monday 00:00 UTC that halts new exposure'),
    monthlyLossLimitPct: fraction('loss since the 1st 00:00 UTC that halts new exposure'),
    maxDrawdownPct: fraction('decline from the equity peak'),
    maxLeverage: { type: 'number', description: 'gross exposure / equity' },
    maxConcentrationPct: fraction("one base asset's share of max(gross exposure, equity)"),
    maxVar95Pct: fraction('one-period 95 % VaR'),
    maxVolatility: { type: 'number', description: 'annualised volatility' },
    maxOrderNotional: { type: 'number', description: 'largest notional of one order, in the account currency' },
    criticalMultiplier: { type: 'number', description: 'an alert is CRITICAL above this multiple of its limit' },
    alertCooldownMs: { type: 'integer', description: 'quiet period per alert key (rule + symbol)' },
    circuitBreakerResetUtc: { type: 'string', description: 'UTC time of day HH:MM at which the risk day starts' },
  },
} as const;

const usageSchema = {
  type: 'object',
  required: ['ts', 'equity', 'items', 'score'],
  properties: {
    ts: timestampSchema,
    equity: { type: 'number' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rule', 'limitKey', 'value', 'limit', 'utilisation'],
        properties: {
          rule: { type: 'string', description: 'e.g. daily-loss-limit, max-leverage' },
          limitKey: { type: 'string', description: 'the key of the limit in GET /api/v1/risk/limits' },
          value: nullable('number'),
          limit: { type: 'number' },
          utilisation: { ...nullable('number'), description: 'max(value, 0) / limit: 1 = at the limit' },
          warnAt: { type: 'number', description: 'level from which an alert is raised, when not the limit' },
          symbol: { type: 'string', description: 'the symbol or base asset the value is about' },
        },
      },
    },
    score: {
      type: 'object',
      required: ['score', 'level', 'breaches'],
      properties: {
        score: { type: 'number', description: '0 (nothing used) … 100 (every limit reached)' },
        level: { type: 'string', enum: ['low', 'moderate', 'high', 'critical'] },
        breaches: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;

const varSchema = {
  type: 'object',
  description: 'One-period VaR / CVaR of the account from its sampled equity history; null while too few returns',
  required: ['method', 'confidence', 'var', 'cvar', 'varAmount', 'cvarAmount', 'equity', 'observations', 'from', 'to'],
  properties: {
    method: { type: 'string', enum: VAR_METHODS },
    confidence: { type: 'number' },
    var: { ...nullable('number'), description: 'loss fraction of equity (0.021 = 2.1 %)' },
    cvar: { ...nullable('number'), description: 'mean loss beyond the VaR, as a fraction of equity' },
    varAmount: { ...nullable('number'), description: 'VaR in the account currency at the current equity' },
    cvarAmount: nullable('number'),
    equity: { type: 'number' },
    observations: { type: 'integer', description: 'period returns behind the estimate' },
    from: nullable('integer'),
    to: nullable('integer'),
  },
} as const;

const alertSchema = {
  type: 'object',
  required: ['id', 'ts', 'rule', 'severity', 'message', 'value', 'limit'],
  properties: {
    id: { type: 'string' },
    ts: timestampSchema,
    rule: { type: 'string' },
    severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
    message: { type: 'string' },
    value: { ...nullable('number'), description: 'null when not finite (exposure against no equity)' },
    limit: { type: 'number' },
    symbol: { type: 'string' },
    suppressedCount: { type: 'integer', description: 'alerts of the same key held back by the cooldown' },
  },
} as const;

const killSwitchStatusSchema = {
  type: 'object',
  required: ['engaged', 'engagedAt', 'by', 'reason', 'flatten'],
  properties: {
    engaged: { type: 'boolean' },
    engagedAt: nullable('integer'),
    by: nullable('string'),
    reason: nullable('string'),
    flatten: { type: 'boolean' },
  },
} as const;

const circuitBreakerSchema = {
  type: 'object',
  required: ['state', 'killSwitch'],
  properties: {
    state: { type: 'string', enum: ['armed', 'halted'] },
    reason: { type: 'string', description: 'why new exposure is refused (while halted)' },
    rule: { type: 'string', description: 'the loss limit that tripped it' },
    since: { ...timestampSchema, description: 'when it halted' },
    resetAt: { ...nullable('integer'), description: 'when a daily halt lifts by itself; null: a resume is needed' },
    value: { type: 'number' },
    limit: { type: 'number' },
    killSwitch: killSwitchStatusSchema,
  },
} as const;

const orderRequestSchema = {
  type: 'object',
  required: ['symbol', 'side', 'type', 'quantity'],
  properties: {
    symbol: { type: 'string' },
    side: { type: 'string' },
    type: { type: 'string' },
    quantity: { type: 'number' },
    reduceOnly: { type: 'boolean' },
    clientOrderId: { type: 'string' },
  },
} as const;

const killSwitchOutcomeSchema = {
  type: 'object',
  required: ['killSwitch', 'cancels', 'flattenOrders', 'done', 'failed', 'actions'],
  properties: {
    killSwitch: killSwitchStatusSchema,
    cancels: { type: 'integer', description: 'working orders cancelled' },
    flattenOrders: { type: 'integer', description: 'reduce-only market orders submitted to close positions' },
    done: { type: 'integer', description: 'actions carried out' },
    failed: { type: 'array', items: { type: 'string' }, description: 'actions that failed, with the reason' },
    actions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind'],
        properties: {
          kind: { type: 'string', enum: ['cancel-order', 'submit-order'] },
          orderId: { type: 'string' },
          clientOrderId: { type: 'string' },
          symbol: { type: 'string' },
          order: orderRequestSchema,
        },
      },
    },
  },
} as const;

const killSwitchBodySchema = {
  type: 'object',
  required: ['reason'],
  properties: {
    reason: { type: 'string', minLength: 1, maxLength: 500 },
    flatten: { type: 'boolean', default: false, description: 'also close every position at market' },
  },
} as const;

const noteBodySchema = {
  type: ['object', 'null'],
  properties: { note: { type: 'string', minLength: 1, maxLength: 500, description: 'why, for the audit trail' } },
} as const;

/** Who did it, for the breaker's and the switch's events: the authenticating key's name and id. */
function actorOf(request: FastifyRequest): string {
  const key = request.apiKey;
  return key === null ? 'unknown' : `${key.name} (${key.keyId})`;
}

/** JSON has no Infinity: a non-finite measure (exposure against zero equity) goes out as null. */
const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

function alertOut(alert: RiskAlert): Omit<RiskAlert, 'value'> & { value: number | null } {
  return { ...alert, value: finiteOrNull(alert.value) };
}

/**
 * The risk service over REST: limits, their usage, VaR/CVaR and alerts to read; the circuit breaker's resume and
 * the kill switch for admins only (scope `admin`), since both change whether the platform may trade.
 */
export function registerRiskRoutes(app: FastifyInstance, deps: RiskRoutesDeps): void {
  const { risk } = deps;

  app.get(
    '/api/v1/risk/limits',
    { schema: { tags: ['risk'], summary: 'The configured risk limits', response: { 200: limitsSchema } } },
    async () => risk.limits,
  );

  app.get(
    '/api/v1/risk/usage',
    {
      schema: {
        tags: ['risk'],
        summary: 'Each limit with its current value and utilisation, and the risk score',
        response: { 200: usageSchema },
      },
    },
    async () => {
      const usage = risk.usage();
      return {
        ...usage,
        items: usage.items.map((item) => ({
          ...item,
          value: finiteOrNull(item.value),
          utilisation: finiteOrNull(item.utilisation),
        })),
      };
    },
  );

  app.get<{ Querystring: { confidence: number; method: VarMethod } }>(
    '/api/v1/risk/var',
    {
      schema: {
        tags: ['risk'],
        summary: 'Value at risk and expected shortfall of the portfolio',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            confidence: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95 },
            method: { type: 'string', enum: VAR_METHODS, default: 'historical' },
          },
        },
        response: { 200: varSchema, ...errorResponses(400) },
      },
    },
    async (request) => risk.valueAtRisk({ confidence: request.query.confidence, method: request.query.method }),
  );

  app.get<{ Querystring: { limit: number } }>(
    '/api/v1/risk/alerts',
    {
      schema: {
        tags: ['risk'],
        summary: 'Recent risk alerts, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: limitSchema(ALERTS_LIMIT.default, ALERTS_LIMIT.max) },
        },
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: alertSchema } } },
          ...errorResponses(400),
        },
      },
    },
    async (request) => ({ items: (await risk.alerts(request.query.limit)).map(alertOut) }),
  );

  app.get(
    '/api/v1/risk/circuit-breaker',
    {
      schema: {
        tags: ['risk'],
        summary: 'The loss circuit breaker (armed or halted) and the kill switch',
        response: { 200: circuitBreakerSchema },
      },
    },
    async () => risk.circuitBreaker(),
  );

  app.post<{ Body: { note?: string } | null }>(
    '/api/v1/risk/circuit-breaker/resume',
    {
      config: { requiredScope: 'admin' },
      schema: {
        tags: ['risk'],
        summary: 'Resume trading after a circuit-breaker halt (admin)',
        description: 'Refused (409) while the breaker is armed or the loss is still at its limit in the same period.',
        body: noteBodySchema,
        response: { 200: circuitBreakerSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      rejectUnknownFields(request.body, noteBodySchema, 'resume request');
      return risk.resume(actorOf(request), request.body?.note);
    },
  );

  app.post<{ Body: { reason: string; flatten?: boolean } }>(
    '/api/v1/risk/kill-switch',
    {
      config: { requiredScope: 'admin' },
      schema: {
        tags: ['risk'],
        summary: 'Engage the kill switch: cancel every working order, optionally flatten, block new exposure (admin)',
        body: killSwitchBodySchema,
        response: { 200: killSwitchOutcomeSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      // A misspelt `flaten` must not engage the switch without flattening.
      rejectUnknownFields(request.body, killSwitchBodySchema, 'kill-switch request');
      return risk.engageKillSwitch({
        reason: request.body.reason,
        flatten: request.body.flatten === true,
        by: actorOf(request),
      });
    },
  );

  app.post<{ Body: { note?: string } | null }>(
    '/api/v1/risk/kill-switch/release',
    {
      config: { requiredScope: 'admin' },
      schema: {
        tags: ['risk'],
        summary: 'Release the kill switch, allowing new exposure again (admin)',
        body: noteBodySchema,
        response: { 200: killSwitchStatusSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      rejectUnknownFields(request.body, noteBodySchema, 'release request');
      return risk.releaseKillSwitch(actorOf(request), request.body?.note);
    },
  );
}
