import { ORDER_STATUSES, ValidationError, type OrderStatus } from '@rrr/core';
import type { TradingEngineService } from '@rrr/trading-engine';
import type { FastifyInstance } from 'fastify';
import { errorResponses, limitSchema, listSchema, symbolSchema } from '../api-schemas';
import { rejectUnknownFields } from '../reject-unknown-fields';
import { fillSchema, orderIdParamsSchema, orderRequestSchema, orderSchema } from './order-schemas';

export interface TradingRoutesDeps {
  trading: TradingEngineService;
}

const ORDERS_LIMIT = { default: 100, max: 1_000 };
const FILLS_LIMIT = { default: 100, max: 1_000 };
/** `?status=open`: every state in which the venue may still fill the order. */
const OPEN_STATUSES: readonly OrderStatus[] = ['pending-new', 'accepted', 'partially-filled'];

/**
 * The OMS names a request's fields as they are in the request (`quantity`); over REST every problem names the part
 * of the HTTP request too (`body.quantity`), as schema validation does, so clients handle one form.
 */
function inBody(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  const problems = error.problems.map((p) => ({ ...p, field: `body.${p.field}` }));
  const code = error.code as 'VALIDATION_FAILED' | 'ORDER_INVALID' | 'DATA_INVALID';
  return new ValidationError('order request', problems, code);
}

/**
 * Orders and fills through the trading engine's OMS: the same validation, idempotency and pre-trade risk as orders
 * from strategies and the WebSocket gateway. Refusals keep the OMS's codes: ORDER_INVALID (400, naming the field),
 * RISK_REJECTED (422, with the rule), CONFLICT (409: a client order id reused for another request, or a cancel the
 * order's state forbids), NOT_FOUND (404), SERVICE_UNAVAILABLE (503 once the engine stopped after a failed write).
 */
export function registerTradingRoutes(app: FastifyInstance, deps: TradingRoutesDeps): void {
  const { trading } = deps;

  app.get<{ Querystring: { status?: OrderStatus | 'open'; symbol?: string; limit: number } }>(
    '/api/v1/orders',
    {
      schema: {
        tags: ['trading'],
        summary: 'Orders, newest first',
        querystring: {
          type: 'object',
          properties: {
            status: {
              type: 'string',
              enum: ['open', ...ORDER_STATUSES],
              description: 'open = every working state (pending-new, accepted, partially-filled)',
            },
            symbol: symbolSchema,
            limit: limitSchema(ORDERS_LIMIT.default, ORDERS_LIMIT.max),
          },
        },
        response: { 200: listSchema(orderSchema), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { status, symbol, limit } = request.query;
      const items = await trading.listOrders({
        ...(symbol === undefined ? {} : { symbol }),
        ...(status === undefined ? {} : { status: status === 'open' ? OPEN_STATUSES : status }),
        limit,
        newestFirst: true,
      });
      return { items };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/orders/:id',
    {
      schema: {
        tags: ['trading'],
        summary: 'One order',
        params: orderIdParamsSchema,
        response: { 200: orderSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => trading.getOrder(request.params.id),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/api/v1/orders',
    {
      schema: {
        tags: ['trading'],
        summary: 'Submits an order (scope trade)',
        description:
          'Answers 201 with the order once the venue acknowledged it (status accepted, or later if it already ' +
          'filled; a venue refusal is status rejected with rejectReason). A retry with the same clientOrderId and ' +
          'request answers the same order; the same clientOrderId with another request is 409 CONFLICT.',
        body: orderRequestSchema,
        response: { 201: orderSchema, ...errorResponses(400, 401, 403, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      // A misspelt field (`clientOrderID`, `stopPrise`) must not be dropped: the order would go out without it.
      rejectUnknownFields(request.body, orderRequestSchema, 'order request');
      try {
        const order = await trading.submitOrder(request.body);
        return reply.status(201).send(order);
      } catch (error) {
        throw inBody(error);
      }
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/orders/:id',
    {
      schema: {
        tags: ['trading'],
        summary: 'Cancels a working order (scope trade)',
        description: 'Answers the cancelled order once the venue confirmed; 409 when the order already ended.',
        params: orderIdParamsSchema,
        response: { 200: orderSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => trading.cancelOrder(request.params.id),
  );

  app.get<{ Querystring: { symbol?: string; orderId?: string; limit: number } }>(
    '/api/v1/fills',
    {
      schema: {
        tags: ['trading'],
        summary: 'Fills, newest first',
        querystring: {
          type: 'object',
          properties: {
            symbol: symbolSchema,
            orderId: orderIdParamsSchema.properties.id,
            limit: limitSchema(FILLS_LIMIT.default, FILLS_LIMIT.max),
          },
        },
        response: { 200: listSchema(fillSchema), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { symbol, orderId, limit } = request.query;
      const items = await trading.listFills({
        ...(symbol === undefined ? {} : { symbol }),
        ...(orderId === undefined ? {} : { orderId }),
        limit,
        newestFirst: true,
      });
      return { items };
    },
  );
}
