export interface TranslatedSql {
  /** The statement with each `?` placeholder replaced by `$1..$n`. */
  text: string;
  /** How many placeholders were found. */
  placeholderCount: number;
}

function isIdentifierChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_$]/.test(ch);
}

/** Index just past a run quoted by `quote`, where a doubled quote is an escaped one (SQL strings, identifiers). */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/** Index just past a block comment; PostgreSQL block comments nest. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** The dollar-quote tag opening at `start` (`$$` or `$tag$`), or undefined when `$` starts no dollar quote. */
function dollarQuoteTag(sql: string, start: number): string | undefined {
  if (isIdentifierChar(sql[start - 1])) return undefined;
  const match = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start, start + 64));
  return match?.[0];
}

/**
 * Rewrites `?` placeholders to PostgreSQL's `$1..$n`, leaving alone any `?` inside string literals ('…', E'…'),
 * dollar-quoted strings, quoted identifiers and comments. PostgreSQL operators spelled with `?` (jsonb `?`, `?|`)
 * cannot be used in such SQL; write them as functions (jsonb_exists) instead.
 */
export function translatePlaceholders(sql: string): TranslatedSql {
  if (!sql.includes('?')) return { text: sql, placeholderCount: 0 };
  let out = '';
  let copiedUpTo = 0;
  let count = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'") {
      const prev = sql[i - 1];
      const escapeString = (prev === 'E' || prev === 'e') && !isIdentifierChar(sql[i - 2]);
      i = skipQuoted(sql, i, "'", escapeString);
    } else if (ch === '"') {
      i = skipQuoted(sql, i, '"', false);
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      i = skipBlockComment(sql, i);
    } else if (ch === '$') {
      const tag = dollarQuoteTag(sql, i);
      if (tag === undefined) {
        i++;
      } else {
        const end = sql.indexOf(tag, i + tag.length);
        i = end === -1 ? sql.length : end + tag.length;
      }
    } else if (ch === '?') {
      count++;
      out += sql.slice(copiedUpTo, i) + '$' + count;
      i++;
      copiedUpTo = i;
    } else {
      i++;
    }
  }
  return { text: out + sql.slice(copiedUpTo), placeholderCount: count };
}
