import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { loadPgCopyStreams } from './load-pg';
import { DatabaseError } from '../errors';
import type { CopyRows, SqlParams } from './database';
import { encodeCopyTextValue } from './copy-text-format';
import { checkedCopyRows, type FixedColumns } from './copy-rows';
import { dbColumnKinds } from './db-tables';
import type { InsertPlan } from './insert-plan';
import { setBounded } from './set-bounded';
import { columnEncoder, encodeSqlParams } from './sql-value-encoding';
import { describeSql, toDatabaseError } from './to-database-error';
import { translatePlaceholders, type TranslatedSql } from './translate-placeholders';

/** A pool (any connection) or one checked-out client (a transaction's). */
export type PgQueryable = pg.Pool | pg.PoolClient;

const TRANSLATION_CACHE_LIMIT = 512;
const translations = new Map<string, TranslatedSql>();

function translateCached(sql: string): TranslatedSql {
  let translated = translations.get(sql);
  if (translated === undefined) {
    translated = translatePlaceholders(sql);
    setBounded(translations, sql, translated, TRANSLATION_CACHE_LIMIT);
  }
  return translated;
}

/** Translates `?` placeholders, checks the parameter count up front and wraps driver errors. */
export async function pgQuery<T extends object>(
  queryable: PgQueryable,
  sql: string,
  params: SqlParams,
  /** The caller's statement, named in errors when `sql` wraps it (DECLARE … FOR <statement>). */
  errorSql = sql,
): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
  const { text, placeholderCount } = translateCached(sql);
  if (placeholderCount !== params.length) {
    throw new DatabaseError(
      `postgres: ${describeSql(errorSql)}: the statement has ${placeholderCount} placeholder(s) but ` +
        `${params.length} parameter(s) were given`,
    );
  }
  try {
    return await queryable.query<T & pg.QueryResultRow>(text, encodeSqlParams(params));
  } catch (err) {
    throw toDatabaseError(err, errorSql, 'postgres');
  }
}

/** Runs statements that take no parameters (BEGIN, SAVEPOINT …) with error wrapping. */
export async function pgCommand(queryable: PgQueryable, sql: string): Promise<void> {
  try {
    await queryable.query(sql);
  } catch (err) {
    throw toDatabaseError(err, sql, 'postgres');
  }
}

const statementNames = new Map<string, string>();

/**
 * A server-side prepared statement name for a full-chunk INSERT: the server parses a 65k-parameter statement once
 * per connection instead of once per chunk.
 */
function preparedName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `rrr_insert_${createHash('sha1').update(text).digest('hex').slice(0, 32)}`;
    setBounded(statementNames, text, name, 64);
  }
  return name;
}

/** Writes the plan's rows in statements of at most rowsPerStatement rows. The caller provides atomicity. */
export async function pgInsert(queryable: PgQueryable, plan: InsertPlan): Promise<number> {
  const total = plan.rowCount;
  const chunk = plan.rowsPerStatement;
  let written = 0;
  for (let start = 0; start < total; start += chunk) {
    const end = Math.min(total, start + chunk);
    const text = plan.sql(end - start);
    const values = plan.values(start, end);
    try {
      const result =
        end - start === chunk
          ? await queryable.query({ name: preparedName(text), text, values })
          : await queryable.query(text, values);
      written += result.rowCount ?? 0;
    } catch (err) {
      throw toDatabaseError(err, text, 'postgres');
    }
  }
  return written;
}

const COPY_CHUNK_CHARS = 64 * 1024;

/**
 * COPY … FROM STDIN in text format: rows are encoded and sent in ~64 KB chunks, with backpressure, so an async
 * source streams through without being buffered. One statement, so all-or-nothing.
 */
export async function pgCopyFrom(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: CopyRows,
  fixed: FixedColumns = { columns: [], values: [] },
): Promise<number> {
  const kinds = dbColumnKinds(table, columns);
  const encoders = columns.map((column, i) => columnEncoder(table, column, kinds[i]));
  const fixedKinds = dbColumnKinds(table, fixed.columns, 'fixed column');
  // The shared values lead every line of the stream, encoded once.
  const lead = fixed.values
    .map((value, i) => `${encodeCopyTextValue(columnEncoder(table, fixed.columns[i], fixedKinds[i])(value))}\t`)
    .join('');
  const sql = `COPY "${table}" (${[...fixed.columns, ...columns].map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
  async function* textChunks(): AsyncGenerator<string> {
    let chunk = '';
    for await (const row of checkedCopyRows(table, columns, rows)) {
      chunk += lead;
      for (let i = 0; i < row.length; i++) {
        chunk += (i === 0 ? '' : '\t') + encodeCopyTextValue(encoders[i](row[i]));
      }
      chunk += '\n';
      if (chunk.length >= COPY_CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length > 0) yield chunk;
  }
  const copy = client.query(loadPgCopyStreams().from(sql));
  try {
    await pipeline(Readable.from(textChunks()), copy);
  } catch (err) {
    throw toDatabaseError(err, sql, 'postgres');
  }
  return copy.rowCount;
}
