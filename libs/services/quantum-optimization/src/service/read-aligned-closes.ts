import { toIso, ValidationError, type Database, type FieldProblem, type Interval } from '@rrr/core';

/** Closes of each symbol on the bar times every one of them has, oldest first. */
export interface AlignedCloses {
  closesBySymbol: Record<string, number[]>;
  ts: number[];
}

/**
 * Reads the stored closes of each symbol (bars table) in [from, to] and keeps the times all of them share. A symbol
 * without bars, or fewer than 3 common times (2 returns), is a ValidationError naming `symbols`.
 */
export async function readAlignedCloses(
  db: Database,
  symbols: readonly string[],
  interval: Interval,
  from: number | null,
  to: number | null,
): Promise<AlignedCloses> {
  const bySymbol = new Map<string, Map<number, number>>();
  for (const symbol of symbols) {
    const rows = await db.query<{ ts: number | string; close: number }>(
      'SELECT ts, close FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts <= ? ORDER BY ts',
      [symbol, interval, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER],
    );
    // PostgreSQL hands BIGINT back as a string.
    bySymbol.set(symbol, new Map(rows.map((r) => [Number(r.ts), r.close])));
  }
  const range =
    from === null && to === null
      ? ''
      : ` between ${from === null ? 'the start' : toIso(from)} and ${to === null ? 'the end' : toIso(to)}`;
  const problems: FieldProblem[] = symbols
    .filter((s) => (bySymbol.get(s)?.size ?? 0) === 0)
    .map((s) => ({ field: 'symbols', message: `${s} has no ${interval} bars stored${range}`, value: s }));
  if (problems.length > 0) throw new ValidationError('optimisation request', problems);
  const [first, ...rest] = symbols.map((s) => bySymbol.get(s) as Map<number, number>);
  const ts = [...first.keys()].filter((t) => rest.every((m) => m.has(t))).sort((a, b) => a - b);
  if (ts.length < 3) {
    throw new ValidationError('optimisation request', [
      {
        field: 'symbols',
        message: `${symbols.join(', ')} share ${ts.length} ${interval} bar times${range}; at least 3 are needed`,
        value: symbols,
      },
    ]);
  }
  return {
    closesBySymbol: Object.fromEntries(symbols.map((s) => [s, ts.map((t) => bySymbol.get(s)?.get(t) as number)])),
    ts,
  };
}
