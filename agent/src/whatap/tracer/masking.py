"""Takes the values out of error texts that databases and HTTP clients fill with them.

A constraint failure repeats the row it refused ("Failing row contains (null, alice, 42)"),
a duplicate key repeats the key, a failed request repeats its URL with the query string.
``mask`` keeps what helps (constraint, column and table names, the statement's shape) and
writes ``#`` where a value was; it is idempotent, so masking twice (tracer, then the agent
process) changes nothing more. The original text only travels encrypted (see
``Transaction._error_text``).
"""
import re

from ..hooks.sqlnorm import normalize

MASK = "#"
INPUT_LIMIT = 32000  # more than any shown text keeps (16,000 at most); bounds the work

# A PostgreSQL message is one line, then "DETAIL:", "HINT:", "CONTEXT:", "LINE n:" lines.
_PG_FIELD = r"(?=\s*\n\s*(?:[A-Z][A-Z ]*|LINE \d+):|\s*\Z)"


def _region(opener, closer, default_close):
    """``opener value closer``: the value becomes ``#``. Without a closer (the text was cut)
    everything after the opener does."""
    pattern = re.compile("(%s)(?:.*?(%s)|.*)" % (opener, closer), re.S)
    return pattern, lambda m: m.group(1) + MASK + (m.group(2) or default_close)


_RULES = (
    # PostgreSQL NOT NULL / CHECK: DETAIL:  Failing row contains (null, alice, 42).
    _region(r"Failing row contains \(", r"\)\.?" + _PG_FIELD, ")"),
    # PostgreSQL unique / foreign key: Key (email)=(a@b.c) already exists.
    _region(r"Key \(.*?\)=\(", r"\)(?: already exists| is not present| is still referenced| conflicts with)", ")"),
    # MySQL: Duplicate entry 'a@b.c' for key 'users.email'
    _region(r"Duplicate entry '", r"' for key", "'"),
    # MySQL: Incorrect integer value: 'abc' for column 'age' at row 1 (and Truncated incorrect ...)
    _region(r"[Ii]ncorrect [\w ]*?value: '", r"'(?= for |\"|\)|\s*(?:\n|\Z))", "'"),
    # MySQL syntax errors echo the statement: ... near 'VALUES ('x')' at line 1
    _region(r"\bnear '", r"' at line \d+", "'"),
    # PostgreSQL / SQLite: a value quoted at the end of a line, after a colon:
    # invalid input syntax for type integer: "abc"; COPY t, line 1, column n: "abc"
    (re.compile(r'(: ")[^\n]*?("\.?[ \t]*)$', re.M), r"\1" + MASK + r"\2"),
    # PostgreSQL: value "99999999999" is out of range for type integer
    (re.compile(r'(\bvalue ")[^"\n]*("(?: is out of range))'), r"\1" + MASK + r"\2"),
    # PostgreSQL json: DETAIL:  Token "abc" is invalid.  CONTEXT:  JSON data, line 1: {abc
    (re.compile(r'(\bToken ")[^"\n]*(" is invalid)'), r"\1" + MASK + r"\2"),
    (re.compile(r"(\bJSON data, line \d+: ).+$", re.M), r"\1" + MASK),
    # PostgreSQL / SQLite syntax errors quote the token, which may be a literal:
    # syntax error at or near "'secret'"; near "'secret'": syntax error
    (re.compile(r'''(\bnear ")(?:[EeXxBbNn]?'|[-+.]?\d)[^\n]*?(")(?=:| *$| *\n)''', re.M), r"\1" + MASK + r"\2"),
)

# http://user:password@host -> http://user:#@host
_USERINFO = re.compile(r"(\b[a-zA-Z][\w+.-]*://[^\s/:@\"'<>]*:)[^\s/@\"'<>]+(@)")
# A query string after a URL or a path: ?a=1&b=2 -> ?a=#&b=#
_QUERY = re.compile(r"((?:\b[a-zA-Z][\w+.-]*://|(?<![\w?])/)[^\s?\"'<>]*\?)([^\s\"'<>)]+)")
_PAIR = re.compile(r"([^&;=]*=)?[^&;]*")
# LINE 3: INSERT INTO t VALUES ('alice')  (then a line with a caret under the error)
_LINE_ECHO = re.compile(r"^(LINE \d+: )(.*)\n?([ \t]*\^[ \t]*$\n?)?", re.M)
# PL/pgSQL repeats the statement: QUERY:  INSERT ...; CONTEXT:  SQL statement "INSERT ..." (or expression)
_STATEMENT = re.compile(r'^(QUERY:\s+)(.*)$|(SQL (?:statement|expression) ")(.*)("$)', re.M)


def _query(m):
    pairs = _PAIR.sub(lambda p: (p.group(1) or "") + MASK if p.group(0) else "", m.group(2))
    return m.group(1) + pairs


def _sql(text):
    """SQL without its literals (as SQL steps show it), even when the text was cut."""
    text, _ = normalize(text)
    quote = text.find("'")  # a literal cut off by PostgreSQL's "..." stays unterminated
    return text if quote < 0 else text[:quote] + "?..."


def _echo(m):
    return m.group(1) + _sql(m.group(2)) + "\n"


def _statement(m):
    if m.group(1) is not None:
        return m.group(1) + _sql(m.group(2))
    return m.group(3) + _sql(m.group(4)) + m.group(5)


def mask(text):
    """``text`` with the values it quotes replaced by ``#``."""
    if not text:
        return text
    text = text[:INPUT_LIMIT]
    out = _LINE_ECHO.sub(_echo, text)
    if "QUERY:" in out or "SQL " in out:
        out = _STATEMENT.sub(_statement, out)
    for pattern, replacement in _RULES:
        out = pattern.sub(replacement, out)
    if "://" in out:
        out = _USERINFO.sub(r"\1" + MASK + r"\2", out)
    if "?" in out:
        out = _QUERY.sub(_query, out)
    if not text.endswith("\n") and out.endswith("\n"):
        out = out[:-1]
    return out
