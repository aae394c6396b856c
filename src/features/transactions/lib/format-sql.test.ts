import { fillSqlParams, formatSql, sqlLiteral } from './format-sql';

describe('formatSql', () => {
  it('breaks before clauses and indents conditions, not inside literals', () => {
    expect(formatSql("SELECT id FROM users WHERE name = 'a FROM b' AND age > ? ORDER BY id LIMIT ?")).toBe(
      "SELECT id\nFROM users\nWHERE name = 'a FROM b'\n  AND age > ?\nORDER BY id\nLIMIT ?",
    );
    expect(formatSql('select c.id from carts c left join items i on i.cart_id = c.id')).toBe(
      'select c.id\nfrom carts c\nleft join items i on i.cart_id = c.id',
    );
  });
});

describe('fillSqlParams', () => {
  it('fills ? in order, quoting strings, leaving ? inside literals alone', () => {
    expect(fillSqlParams("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ? AND d = ?", [1, "O'Hara", null])).toBe(
      "SELECT * FROM t WHERE a = 1 AND b = '?' AND c = 'O''Hara' AND d = NULL",
    );
    expect(fillSqlParams('UPDATE t SET a = ? WHERE id = ?', [true])).toBe('UPDATE t SET a = TRUE WHERE id = ?');
    expect(sqlLiteral({ a: 1 })).toBe(`'{"a":1}'`);
  });
});
