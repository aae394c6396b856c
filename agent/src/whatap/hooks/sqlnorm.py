"""SQL text normalization: literals become ``?`` and are returned separately.

Strings ('...', with '' escapes) and numbers are literals; quoted identifiers ("x", `x`),
comments and placeholders (?, %s, :name, $1) are kept. ``%s`` / ``%(name)s`` placeholders are
shown as ``?`` so the same statement looks the same whatever the driver's paramstyle.
"""
import re

_TOKENS = re.compile(
    r"""(?P<str>'(?:[^']|'')*')"""
    r"""|(?P<ident>"(?:[^"]|"")*"|`[^`]*`)"""
    r"""|(?P<comment>--[^\n]*|/\*.*?\*/)"""
    r"""|(?P<pyfmt>%\((?P<pyname>[^)]*)\)s|%s)"""
    r"""|(?P<num>(?<![\w$:@?.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]))""",
    re.S,
)
_CACHE = {}
_CACHE_MAX = 2048
_SQL_LIMIT = 16000


def normalize(sql):
    """Returns ``(text, literals)``; cached, since apps repeat their statements."""
    hit = _CACHE.get(sql)
    if hit is not None:
        return hit
    if not isinstance(sql, str):
        try:
            sql = sql.decode("utf-8", "replace") if isinstance(sql, (bytes, bytearray)) else str(sql)
        except Exception:
            sql = repr(sql)
    literals = []

    def replace(m):
        kind = m.lastgroup
        if kind == "str":
            literals.append(m.group()[1:-1].replace("''", "'"))
            return "?"
        if kind == "num":
            literals.append(m.group())
            return "?"
        if kind in ("pyfmt", "pyname"):
            return "?"
        return m.group()

    text = _TOKENS.sub(replace, sql.strip())
    if len(text) > _SQL_LIMIT:
        text = text[:_SQL_LIMIT - 14] + "...(truncated)"
    result = (text, tuple(literals[:64]))
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    if len(sql) < 4096:
        _CACHE[sql] = result
    return result
