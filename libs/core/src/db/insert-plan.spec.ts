import { DatabaseError } from '../errors';
import { InsertPlan, POSTGRES_MAX_BOUND_PARAMETERS, SQLITE_MAX_BOUND_PARAMETERS } from './insert-plan';

const bar = (ts: number, close = 1) => ({
  symbol: 'BTC-USD',
  interval: '1m',
  ts,
  open: 1,
  high: 1,
  low: 1,
  close,
  volume: 1,
});

describe('InsertPlan', () => {
  it('chunks so that one statement binds at most the dialect limit', () => {
    const row = { ...bar(0), vwap: 1, trades: 2 };
    const sqlite = InsertPlan.create('sqlite', 'bars', [row]);
    const postgres = InsertPlan.create('postgres', 'bars', [row]);
    expect(sqlite.rowsPerStatement).toBe(3276);
    expect(postgres.rowsPerStatement).toBe(6553);
    expect(sqlite.rowsPerStatement * 10).toBeLessThanOrEqual(SQLITE_MAX_BOUND_PARAMETERS);
    expect((sqlite.rowsPerStatement + 1) * 10).toBeGreaterThan(SQLITE_MAX_BOUND_PARAMETERS);
    expect((postgres.rowsPerStatement + 1) * 10).toBeGreaterThan(POSTGRES_MAX_BOUND_PARAMETERS);
  });

  it('quotes whitelisted identifiers and numbers PostgreSQL placeholders across rows', () => {
    const rows = [
      { job_id: 'a', cursor: 'x', rows_written: 1, updated_at: 2 },
      { job_id: 'b', cursor: 'y', rows_written: 3, updated_at: 4 },
    ];
    const onConflict = { target: ['job_id'] as const, action: { update: ['cursor', 'rows_written'] as const } };
    expect(InsertPlan.create('postgres', 'backfill_checkpoints', rows, { onConflict }).sql(2)).toBe(
      'INSERT INTO "backfill_checkpoints" ("job_id", "cursor", "rows_written", "updated_at") VALUES ' +
        '($1,$2,$3,$4),($5,$6,$7,$8) ON CONFLICT ("job_id") DO UPDATE SET ' +
        '"cursor" = excluded."cursor", "rows_written" = excluded."rows_written"',
    );
    expect(
      InsertPlan.create('sqlite', 'backfill_checkpoints', rows, { onConflict: { target: [], action: 'ignore' } }).sql(
        2,
      ),
    ).toBe(
      'INSERT INTO "backfill_checkpoints" ("job_id", "cursor", "rows_written", "updated_at") VALUES ' +
        '(?,?,?,?),(?,?,?,?) ON CONFLICT DO NOTHING',
    );
  });

  it('takes the union of the rows’ keys as columns, binding NULL where a row lacks one', () => {
    const plan = InsertPlan.create('sqlite', 'bars', [bar(1), { ...bar(2), vwap: 5 }, { ...bar(3), trades: 7 }]);
    expect(plan.columns).toEqual([
      'symbol',
      'interval',
      'ts',
      'open',
      'high',
      'low',
      'close',
      'volume',
      'vwap',
      'trades',
    ]);
    expect(plan.values(0, 1).slice(-2)).toEqual([null, null]);
    expect(plan.values(1, 3)).toEqual([...Object.values(bar(2)), 5, null, ...Object.values(bar(3)), null, 7]);
  });

  it('keeps the last row per conflict key for an update, but every row whose key holds NULL', () => {
    const rows = [bar(1, 10), bar(2, 20), bar(1, 11), { ...bar(3), symbol: null }, { ...bar(3), symbol: null }];
    const plan = InsertPlan.create('sqlite', 'bars', rows as never, {
      onConflict: { target: ['symbol', 'interval', 'ts'], action: { update: ['close'] } },
    });
    expect((plan.rows as readonly Record<string, unknown>[]).map((r) => [r['ts'], r['close']])).toEqual([
      [2, 20],
      [1, 11],
      [3, 1],
      [3, 1],
    ]);
    // 'ignore' keeps duplicates: the database skips them itself.
    expect(
      InsertPlan.create('sqlite', 'bars', rows as never, { onConflict: { target: ['symbol'], action: 'ignore' } }).rows,
    ).toHaveLength(5);
  });

  it('compares conflict keys as stored: a Date and its epoch ms, true and 1, are one key', () => {
    const rows = [
      { symbol: 'A', interval: '1m', ts: new Date(60_000) as never, close: 1 },
      { symbol: 'A', interval: '1m', ts: 60_000, close: 2 },
      { symbol: 'A', interval: '1m', ts: 120_000, close: 3 },
    ];
    const plan = InsertPlan.create('sqlite', 'bars', rows, {
      onConflict: { target: ['symbol', 'interval', 'ts'], action: { update: ['close'] } },
    });
    expect(plan.rows.map((r) => (r as Record<string, unknown>)['close'])).toEqual([2, 3]);
    const flags = InsertPlan.create(
      'sqlite',
      'symbols',
      [
        { symbol: 'A', active: true },
        { symbol: 'A', active: 1 as never },
      ],
      { onConflict: { target: ['symbol', 'active'], action: { update: ['symbol'] } } },
    );
    expect(flags.rowCount).toBe(1);
  });

  it('binds positional rows (copyFrom) in column order without a key lookup per value', () => {
    const plan = InsertPlan.positional(
      'sqlite',
      'bars',
      ['symbol', 'ts', 'close'],
      [
        ['A', 1, 10],
        ['B', 2, 20],
      ],
    );
    expect(plan.positional).toBe(true);
    expect(plan.sql(2)).toBe('INSERT INTO "bars" ("symbol", "ts", "close") VALUES (?,?,?),(?,?,?)');
    expect(plan.values(0, 2)).toEqual(['A', 1, 10, 'B', 2, 20]);
    expect(() => InsertPlan.positional('sqlite', 'bars', ['symbol', 'nope'], [])).toThrow(/nope/);
  });

  it('encodes booleans as 0/1, Dates as epoch ms and JSON columns as JSON text', () => {
    const plan = InsertPlan.create('sqlite', 'symbols', [
      { symbol: 'A', active: true, metadata: { x: [1] }, created_at: new Date(1_700_000_000_000) as never },
      { symbol: 'B', active: false, metadata: '{"raw":true}' },
    ]);
    expect(plan.values(0, 2)).toEqual(['A', 1, '{"x":[1]}', 1_700_000_000_000, 'B', 0, '{"raw":true}', null]);
  });

  it('names the column when a value cannot be stored in it', () => {
    const plan = InsertPlan.create('sqlite', 'bars', [{ ...bar(1), close: { price: 1 } as never }]);
    expect(() => plan.values(0, 1)).toThrow(
      new DatabaseError('cannot store a value of type Object in bars.close (real)'),
    );
  });

  it('refuses an upsert without a target or columns to update, and update columns the rows do not carry', () => {
    expect(() =>
      InsertPlan.create('sqlite', 'bars', [bar(1)], { onConflict: { target: [], action: { update: ['close'] } } }),
    ).toThrow('an upsert needs a conflict target and columns to update');
    expect(() =>
      InsertPlan.create('sqlite', 'bars', [bar(1)], { onConflict: { target: ['ts'], action: { update: ['vwap'] } } }),
    ).toThrow('update column "vwap" is not among the rows\' columns');
  });
});
