/**
 * SQL for reading: line breaks before the main clauses, and bind values filled in for `?`.
 * Works on tokens so nothing inside a string literal or a quoted name is touched; the
 * result is plain text (rendered as a React text node).
 */

interface Token {
  text: string;
  /** true for '…' literals, "…" names and comments: never rewritten. */
  quoted: boolean;
}

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let plain = '';
  let i = 0;
  const flush = () => {
    if (plain) out.push({ text: plain, quoted: false });
    plain = '';
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      flush();
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2; // doubled quote = escaped quote
          else break;
        } else j++;
      }
      out.push({ text: sql.slice(i, j + 1), quoted: true });
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      flush();
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? sql.length : j;
      out.push({ text: sql.slice(i, end), quoted: true });
      i = end;
    } else {
      plain += c;
      i++;
    }
  }
  flush();
  return out;
}

const CLAUSES =
  /(?<!\b(?:LEFT|RIGHT|FULL|INNER|CROSS|OUTER))\s+(?=\b(?:SELECT|FROM|WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|OFFSET|VALUES|SET|RETURNING|UNION(?:\s+ALL)?|(?:LEFT|RIGHT|FULL|INNER|CROSS)(?:\s+OUTER)?\s+JOIN|JOIN|ON\s+CONFLICT)\b)/gi;
const CONDITIONS = /\s+(?=\b(?:AND|OR)\b)/gi;

/** Breaks a statement before its clauses and indents AND / OR; string literals are left as they are. */
export function formatSql(sql: string): string {
  const formatted = tokenize(sql.trim())
    .map((t) => (t.quoted ? t.text : t.text.replace(CLAUSES, '\n').replace(CONDITIONS, '\n  ')))
    .join('');
  return formatted.replace(/^\n+/, '');
}

/** A value as an SQL literal: strings quoted (with '' escapes), NULL, numbers and booleans as is. */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return `'${s.replace(/'/g, "''")}'`;
}

/** Replaces each `?` placeholder (outside quotes) with the next value; extra `?` stay as they are. */
export function fillSqlParams(sql: string, values: readonly unknown[]): string {
  let k = 0;
  return tokenize(sql)
    .map((t) => (t.quoted ? t.text : t.text.replace(/\?/g, () => (k < values.length ? sqlLiteral(values[k++]) : '?'))))
    .join('');
}
