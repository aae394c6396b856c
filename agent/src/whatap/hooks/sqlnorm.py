"""SQL text normalization: literals become ``?`` and are returned separately.

``normalize`` also says, for every ``?`` of the normalized text in order, where its value
comes from: a literal taken out of the text, or a bind parameter (by position or name), so
the values can be sent in placeholder order and the console can fill the text back in.

Strings ('...', with '' escapes) and numbers are literals; quoted identifiers ("x", `x`),
comments and placeholders (?, %s, :name, $1) are kept. ``%s`` / ``%(name)s`` placeholders (and
psycopg 3's ``%b`` / ``%t`` forms) are shown as ``?`` so the same statement looks the same
whatever the driver's paramstyle.
"""
import math
import re

_TOKENS = re.compile(
    r"""(?P<str>'(?:[^']|'')*')"""
    r"""|(?P<ident>"(?:[^"]|"")*"|`[^`]*`)"""
    r"""|(?P<comment>--[^\n]*|/\*.*?\*/)"""
    r"""|(?P<pyfmt>%\((?P<pyname>[^)]*)\)[sbt]|(?<!%)%[sbt](?!\w))"""
    r"""|(?P<qmark>\?)"""
    r"""|(?P<num>(?<![\w$:@?.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]))""",
    re.S,
)
_CACHE = {}
_CACHE_MAX = 2048
_SQL_LIMIT = 16000
_SAFE_INT = 2 ** 53  # integers beyond this lose digits as JavaScript numbers


def _number(literal):
    """A number literal as a JSON number, so the console fills it back in unquoted
    (``LIMIT 20``, not ``LIMIT '20'``); kept as text when a number would change it."""
    try:
        value = int(literal)
    except ValueError:
        value = float(literal)
        return value if math.isfinite(value) else literal
    return value if -_SAFE_INT < value < _SAFE_INT else literal


def normalize(sql):
    """Returns ``(text, slots)``; cached, since apps repeat their statements.

    ``slots`` has one entry per ``?`` of ``text``, in order: ``("l", literal)`` for a literal
    taken out of the text, ``("b", index_or_name)`` for a bind placeholder.
    """
    hit = _CACHE.get(sql)
    if hit is not None:
        return hit
    if not isinstance(sql, str):
        try:
            sql = sql.decode("utf-8", "replace") if isinstance(sql, (bytes, bytearray)) else str(sql)
        except Exception:
            sql = repr(sql)
    slots = []
    position = [0]

    def bind(key=None):
        if key is None:
            key = position[0]
            position[0] += 1
        slots.append(("b", key))
        return "?"

    def replace(m):
        kind = m.lastgroup
        if kind == "str":
            slots.append(("l", m.group()[1:-1].replace("''", "'")))
            return "?"
        if kind == "num":
            slots.append(("l", _number(m.group())))
            return "?"
        if kind == "pyfmt":
            return bind(m.group("pyname"))  # None for a plain %s: positional
        if kind == "qmark":
            return bind()
        return m.group()

    text = _TOKENS.sub(replace, sql.strip())
    if len(text) > _SQL_LIMIT:
        text = text[:_SQL_LIMIT - 14] + "...(truncated)"
    result = (text, tuple(slots[:64]))
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    if len(sql) < 4096:
        _CACHE[sql] = result
    return result
