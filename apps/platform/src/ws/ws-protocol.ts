import { isValidSymbol, RrrError, SYMBOL_EXPECTATION, ValidationError, type FieldProblem } from '@rrr/core';
import { z } from 'zod';
import { WS_CHANNELS } from './ws-channels';

/** The ops a client may send. */
export const WS_CLIENT_OPS = ['subscribe', 'unsubscribe', 'ping', 'pong', 'auth', 'order'] as const;

export type WsClientOp = (typeof WS_CLIENT_OPS)[number];

/** A client's correlation id, echoed on the reply. */
export type WsFrameId = string | number;

const id = z.union([z.string().max(64), z.number().int()], {
  error: 'must be a string of ≤ 64 characters or an integer',
});
const channel = z.enum(WS_CHANNELS, { error: `must be one of ${WS_CHANNELS.join(', ')}` });
const symbol = z.string().refine(isValidSymbol, { error: SYMBOL_EXPECTATION });
const symbols = z.array(symbol).max(1000, { error: 'at most 1000 symbols per frame' });

const FRAME_SCHEMAS = {
  subscribe: z.strictObject({
    op: z.literal('subscribe'),
    id: id.optional(),
    channels: z
      .array(channel)
      .min(1, { error: 'name at least one channel' })
      .max(WS_CHANNELS.length * 2),
    /** Absent or empty: every symbol. */
    symbols: symbols.optional(),
  }),
  unsubscribe: z.strictObject({
    op: z.literal('unsubscribe'),
    id: id.optional(),
    channels: z
      .array(channel)
      .max(WS_CHANNELS.length * 2)
      .optional(),
    symbols: symbols.optional(),
  }),
  ping: z.strictObject({ op: z.literal('ping'), id: id.optional() }),
  pong: z.strictObject({ op: z.literal('pong'), id: id.optional(), ts: z.number().optional() }),
  auth: z.strictObject({
    op: z.literal('auth'),
    id: id.optional(),
    key: z.string().min(1, { error: 'must be an API key' }).max(256),
  }),
  order: z.strictObject({ op: z.literal('order'), id: id.optional(), request: z.unknown() }),
} satisfies Record<WsClientOp, z.ZodType>;

export type WsClientFrame = { [K in WsClientOp]: z.output<(typeof FRAME_SCHEMAS)[K]> }[WsClientOp];
export type WsSubscribeFrame = z.output<typeof FRAME_SCHEMAS.subscribe>;
export type WsUnsubscribeFrame = z.output<typeof FRAME_SCHEMAS.unsubscribe>;

export type WsParseResult = { ok: true; frame: WsClientFrame } | { ok: false; error: RrrError; id?: WsFrameId };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function correlationId(value: Record<string, unknown>): WsFrameId | undefined {
  const candidate = value.id;
  return (typeof candidate === 'string' && candidate.length <= 64) || Number.isInteger(candidate)
    ? (candidate as WsFrameId)
    : undefined;
}

function invalid(message: string, problems: FieldProblem[] = [], frameId?: WsFrameId): WsParseResult {
  const error =
    problems.length > 0 ? new ValidationError('frame', problems) : new RrrError('VALIDATION_FAILED', message);
  return { ok: false, error, ...(frameId === undefined ? {} : { id: frameId }) };
}

/** A text frame as a typed client frame, or a VALIDATION_FAILED error naming every problem (and the id to echo). */
export function parseClientFrame(text: string): WsParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return invalid(`frame is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) return invalid('a frame is a JSON object with an "op" field, e.g. {"op":"ping"}');
  const frameId = correlationId(value);
  const op = value.op;
  if (typeof op !== 'string' || !(WS_CLIENT_OPS as readonly string[]).includes(op)) {
    return invalid(
      '',
      [
        {
          field: 'op',
          message: `${op === undefined ? 'is missing' : `unknown op ${JSON.stringify(op)}`}; expected one of ${WS_CLIENT_OPS.join(', ')}`,
        },
      ],
      frameId,
    );
  }
  const parsed = FRAME_SCHEMAS[op as WsClientOp].safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.map(String).join('.') : 'frame',
      message: issue.message,
    }));
    return invalid('', problems, frameId);
  }
  return { ok: true, frame: parsed.data as WsClientFrame };
}
