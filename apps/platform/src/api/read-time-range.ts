import { DOMAIN_LIMITS, parseIso, ValidationError, type FieldProblem } from '@rrr/core';

export interface TimeRange {
  from?: number;
  to?: number;
}

function readTime(text: string | undefined, field: string, problems: FieldProblem[]): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const ms = /^-?\d+$/.test(trimmed) ? Number(trimmed) : parseIso(trimmed);
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > DOMAIN_LIMITS.timestampMaxMs) {
    problems.push({
      field,
      message: `must be epoch milliseconds or an ISO-8601 date or date-time such as 2020-04-17 (got ${JSON.stringify(text)})`,
      value: text,
    });
    return undefined;
  }
  return ms;
}

/**
 * The `from` / `to` query parameters as epoch milliseconds: each epoch ms or ISO-8601 (a date without a zone is UTC),
 * `to` not before `from`. Anything else is a ValidationError naming `querystring.from` / `querystring.to`.
 */
export function readTimeRange(query: { from?: string; to?: string }): TimeRange {
  const problems: FieldProblem[] = [];
  const from = readTime(query.from, 'querystring.from', problems);
  const to = readTime(query.to, 'querystring.to', problems);
  if (from !== undefined && to !== undefined && to < from) {
    problems.push({ field: 'querystring.to', message: `must not be before from (${query.from})`, value: query.to });
  }
  if (problems.length > 0) throw new ValidationError('invalid request', problems);
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}
