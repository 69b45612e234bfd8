import { translatePlaceholders } from './translate-placeholders';

describe('translatePlaceholders', () => {
  it.each([
    ['SELECT * FROM bars WHERE symbol = ? AND ts >= ?', 'SELECT * FROM bars WHERE symbol = $1 AND ts >= $2', 2],
    ['SELECT 1', 'SELECT 1', 0],
    ["SELECT '?' AS q, ? AS p", "SELECT '?' AS q, $1 AS p", 1],
    ["SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1],
    ["SELECT E'a\\'?', ?", "SELECT E'a\\'?', $1", 1],
    ['SELECT "odd?""name" FROM t WHERE x = ?', 'SELECT "odd?""name" FROM t WHERE x = $1', 1],
    ['SELECT ? -- trailing ? comment\n, ?', 'SELECT $1 -- trailing ? comment\n, $2', 2],
    ['SELECT /* a ? /* nested ? */ still ? */ ?', 'SELECT /* a ? /* nested ? */ still ? */ $1', 1],
    ['SELECT $$ ? $$, $tag$ ? $$ ? $tag$, ?', 'SELECT $$ ? $$, $tag$ ? $$ ? $tag$, $1', 1],
    ['INSERT INTO t (a,b,c) VALUES (?,?,?)', 'INSERT INTO t (a,b,c) VALUES ($1,$2,$3)', 3],
  ])('%j → %j', (sql, expected, count) => {
    expect(translatePlaceholders(sql)).toEqual({ text: expected, placeholderCount: count });
  });

  it('does not take a `$` inside an identifier for a dollar quote', () => {
    // `a$b` is an identifier; were `$b` read as an opening tag, the `?` after it would be swallowed.
    expect(translatePlaceholders('SELECT a$b FROM t WHERE x = ?').text).toBe('SELECT a$b FROM t WHERE x = $1');
  });

  it('counts a `?` after an unterminated literal as inside it (the server reports the syntax error)', () => {
    expect(translatePlaceholders("SELECT 'open ?")).toEqual({ text: "SELECT 'open ?", placeholderCount: 0 });
  });

  it('numbers more than nine placeholders with multi-digit indexes', () => {
    const sql = `VALUES (${Array.from({ length: 12 }, () => '?').join(',')})`;
    expect(translatePlaceholders(sql).text).toBe(
      `VALUES (${Array.from({ length: 12 }, (_, i) => `$${i + 1}`).join(',')})`,
    );
  });
});
