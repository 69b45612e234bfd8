import { createHash } from 'node:crypto';
import type { DatabaseSession } from '@rrr/core';
import type { DataProblem } from '../validation/data-problem';
import type { QuarantineEntry } from '../validation/bar-quality-checker';

/** A row read back from `quarantined_rows`. */
export interface QuarantinedRow extends QuarantineEntry {
  id: number;
  createdAt: number;
}

export interface QuarantineQuery {
  symbol?: string;
  interval?: string;
  source?: string;
  /** Default 100. */
  limit?: number;
}

/** Same origin and content → same fingerprint, so re-running an import quarantines a row once. */
function fingerprint(entry: QuarantineEntry): string {
  return createHash('sha256')
    .update(
      `${entry.source}\u0000${entry.symbol ?? ''}\u0000${entry.interval ?? ''}\u0000${entry.line ?? ''}\u0000${entry.ts ?? ''}\u0000${entry.raw}`,
    )
    .digest('hex');
}

/** Stores quarantined rows (inside the caller's transaction); rows already stored are skipped. */
export async function storeQuarantined(
  session: DatabaseSession,
  entries: readonly QuarantineEntry[],
  now: number,
): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = entries.map((e) => ({
    fingerprint: fingerprint(e),
    source: e.source,
    symbol: e.symbol ?? null,
    interval: e.interval ?? null,
    line: e.line ?? null,
    ts: e.ts ?? null,
    problems: e.problems.map((p) => ({ check: p.check, severity: p.severity, reason: p.reason })),
    raw: e.raw,
    created_at: now,
  }));
  return session.insertMany('quarantined_rows', rows, { onConflict: { target: ['fingerprint'], action: 'ignore' } });
}

function where(query: QuarantineQuery): { sql: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  for (const field of ['symbol', 'interval', 'source'] as const) {
    const value = query[field];
    if (value !== undefined) {
      clauses.push(`${field} = ?`);
      params.push(value);
    }
  }
  return { sql: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, params };
}

/** Quarantined rows, oldest first: what a person inspects before fixing and re-importing. */
export async function readQuarantined(
  session: DatabaseSession,
  query: QuarantineQuery = {},
): Promise<QuarantinedRow[]> {
  const { sql, params } = where(query);
  const rows = await session.query<{
    id: number;
    source: string;
    symbol: string | null;
    interval: string | null;
    line: number | null;
    ts: number | null;
    problems: string;
    raw: string;
    created_at: number;
  }>(
    `SELECT id, source, symbol, interval, line, ts, problems, raw, created_at FROM quarantined_rows${sql} ORDER BY id LIMIT ?`,
    [...params, query.limit ?? 100],
  );
  return rows.map((r) => {
    const problems = (JSON.parse(r.problems) as Pick<DataProblem, 'check' | 'severity' | 'reason'>[]).map((p) => ({
      ...p,
      source: r.source,
      action: 'quarantined' as const,
    }));
    return {
      id: Number(r.id),
      source: r.source,
      ...(r.symbol === null ? {} : { symbol: r.symbol }),
      ...(r.interval === null ? {} : { interval: r.interval }),
      ...(r.line === null ? {} : { line: Number(r.line) }),
      ...(r.ts === null ? {} : { ts: Number(r.ts) }),
      raw: r.raw,
      problems,
      createdAt: Number(r.created_at),
    };
  });
}

export async function countQuarantined(
  session: DatabaseSession,
  query: Omit<QuarantineQuery, 'limit'> = {},
): Promise<number> {
  const { sql, params } = where(query);
  const row = await session.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM quarantined_rows${sql}`, params);
  return Number(row?.n ?? 0);
}
