import { DOMAIN_LIMITS, FILL_LIQUIDITIES, ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES, TIME_IN_FORCES } from '@rrr/core';
import { nullable, symbolSchema, timestampSchema } from '../api-schemas';

/*
 * Orders and fills as the API shows them: core's Order / Fill plus what the OMS adds (venue, bracket legs, expiry,
 * trigger state). Internal bookkeeping (row version, request fingerprint) is left out by the serializer.
 */

const price = {
  type: 'number',
  exclusiveMinimum: DOMAIN_LIMITS.priceMinExclusive,
  exclusiveMaximum: DOMAIN_LIMITS.priceMaxExclusive,
} as const;

const id = { type: 'string', minLength: 1, maxLength: DOMAIN_LIMITS.idMaxLength } as const;

/**
 * The OMS order request. The OMS is the validator (cross-field rules such as "a limit order needs a price" live there
 * and answer ORDER_INVALID naming the field); this schema states the shape for clients and rejects wrong types early.
 */
export const orderRequestSchema = {
  type: 'object',
  required: ['symbol', 'side', 'type', 'quantity'],
  properties: {
    symbol: symbolSchema,
    side: { type: 'string', enum: ORDER_SIDES },
    type: { type: 'string', enum: ORDER_TYPES },
    quantity: {
      type: 'number',
      minimum: DOMAIN_LIMITS.orderQuantityMin,
      maximum: DOMAIN_LIMITS.orderQuantityMax,
      description: 'base units',
    },
    price: { ...price, description: 'limit price: limit and stop-limit orders only' },
    stopPrice: { ...price, description: 'trigger price: stop and stop-limit orders only' },
    trailingPercent: { type: 'number', description: 'trailing-stop distance in percent (0 < p < 100)' },
    trailingAmount: { type: 'number', description: 'trailing-stop distance in price units (> 0)' },
    timeInForce: { type: 'string', enum: TIME_IN_FORCES, description: 'default GTC' },
    reduceOnly: { type: 'boolean' },
    clientOrderId: {
      ...id,
      description: 'idempotency key: a retry with the same id and request answers the same order',
    },
    bracket: {
      type: 'object',
      description: 'exits released when the entry fills; one cancels the other',
      properties: { stopLoss: price, takeProfit: price },
    },
  },
} as const;

export const orderSchema = {
  type: 'object',
  required: [
    'id',
    'clientOrderId',
    'symbol',
    'side',
    'type',
    'quantity',
    'timeInForce',
    'status',
    'filledQuantity',
    'averageFillPrice',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    clientOrderId: { type: 'string' },
    symbol: { type: 'string' },
    side: { type: 'string', enum: ORDER_SIDES },
    type: { type: 'string', enum: ORDER_TYPES },
    quantity: { type: 'number' },
    price: { type: 'number' },
    stopPrice: { type: 'number' },
    trailingPercent: { type: 'number' },
    trailingAmount: { type: 'number' },
    timeInForce: { type: 'string', enum: TIME_IN_FORCES },
    reduceOnly: { type: 'boolean' },
    bracket: { type: 'object', properties: { stopLoss: { type: 'number' }, takeProfit: { type: 'number' } } },
    status: { type: 'string', enum: ORDER_STATUSES },
    filledQuantity: { type: 'number' },
    averageFillPrice: nullable('number'),
    rejectReason: { type: 'string' },
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    venue: { type: 'string', description: 'the exchange adapter that executes it (paper, …)' },
    exchangeOrderId: { type: 'string' },
    strategyId: { type: 'string', description: 'the strategy whose signal produced it' },
    parentId: { type: 'string', description: 'bracket exits: the entry order' },
    bracketRole: { type: 'string', enum: ['stop-loss', 'take-profit'] },
    expiresAt: { ...timestampSchema, description: 'DAY orders: when the order expires' },
    triggeredAt: { ...timestampSchema, description: 'stop orders: when the trigger fired' },
  },
} as const;

export const fillSchema = {
  type: 'object',
  required: ['id', 'orderId', 'symbol', 'side', 'quantity', 'price', 'fee', 'feeCurrency', 'liquidity', 'ts'],
  properties: {
    id: { type: 'string' },
    orderId: { type: 'string' },
    clientOrderId: { type: 'string' },
    symbol: { type: 'string' },
    side: { type: 'string', enum: ORDER_SIDES },
    quantity: { type: 'number' },
    price: { type: 'number' },
    fee: { type: 'number', description: 'in feeCurrency; negative for a maker rebate' },
    feeCurrency: { type: 'string' },
    liquidity: { type: 'string', enum: FILL_LIQUIDITIES },
    ts: timestampSchema,
  },
} as const;

/** An order id in a path. */
export const orderIdParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id },
} as const;
