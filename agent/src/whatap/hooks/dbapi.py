"""SQL steps for DB-API drivers: the shared recording, and sqlite3 and psycopg2.

sqlite3 and psycopg2 are C types, so instead of patching them we hand ``connect`` traced
subclasses of the connection (and of whatever cursor class the caller asks for); the objects
the app gets are still instances of the driver's classes. Pure-Python drivers are patched in
place by their own modules (``mysql_hook``, ``psycopg_hook``) with the functions here.
"""
import contextvars
import weakref

from ..tracer import context, values
from ..tracer.transaction import perf
from . import failed, when_imported
from .sqlnorm import normalize


def _bind(params, key):
    try:
        return values.scalar(params[key])
    except Exception:
        return None


def _params(tx, slots, params, many=False):
    """The values in the order of the ``?`` of the normalized text, then any binds left over
    (named styles such as ``:name`` stay in the text and are listed after)."""
    if not tx.tracer.sql_params:
        return None
    if many:
        try:
            params = next(iter(params), None)  # the first row stands for the batch
        except TypeError:
            params = None
    found = []
    used = 0
    for kind, value in slots:
        if kind == "l":
            found.append(values.scalar(value))
        elif params is not None:
            found.append(_bind(params, value))
            used += 1
    if used == 0:
        found.extend(values.bind_values(params))
    return found or None


# An outer layer (SQLAlchemy) records the statement it sends through this cursor itself.
outer_cursor = contextvars.ContextVar("whatap_sql_outer", default=None)
_marks = weakref.WeakKeyDictionary()  # cursor -> (tx, step) for cursors without __dict__ (psycopg 3)


def sql_started(cursor, sql):
    """``(tx, text, slots, t0)`` when this statement is to be recorded, else None."""
    tx = context.current()
    if tx is None or tx.done:
        return None
    if cursor is not None and outer_cursor.get() is cursor:
        return None
    try:
        text, slots = normalize(sql)
    except Exception as e:
        failed("sql normalize", e)
        return None
    return tx, text, slots, perf()


def sql_done(cursor, started, params, many=False, error=None):
    """Adds the SQL step of a statement ``sql_started`` began; fetches on ``cursor`` count to it."""
    tx, text, slots, t = started
    step = _record(tx, text, slots, t, params, many, error)
    if step is not None and error is None and cursor is not None:
        mark(cursor, tx, step)
    return step


def run_sql(cursor, call, sql, params, many=False):
    """Runs the driver's ``call()`` exactly once; its result or exception reaches the app
    unchanged. The agent's own work around it is guarded (``failed``)."""
    started = sql_started(cursor, sql)
    if started is None:
        return call()
    try:
        result = call()
    except Exception as e:
        sql_done(cursor, started, params, many, e)
        raise
    sql_done(cursor, started, params, many)
    return result


async def run_sql_async(cursor, call, sql, params, many=False):
    """``run_sql`` for a driver's coroutine: ``call()`` returns the awaitable."""
    started = sql_started(cursor, sql)
    if started is None:
        return await call()
    try:
        result = await call()
    except Exception as e:
        sql_done(cursor, started, params, many, e)
        raise
    sql_done(cursor, started, params, many)
    return result


def _record(tx, text, slots, t, params, many, error=None):
    try:
        found = _params(tx, slots, params, many)
    except Exception as e:
        failed("sql parameters", e)
        found = None
    try:
        return tx.add_sql(text, t, found, error)
    except Exception as e:
        failed("sql step", e)
        return None


def mark(cursor, tx, step):
    """Remembers the step the next fetches on ``cursor`` count to."""
    try:
        if hasattr(cursor, "__dict__"):
            cursor._whatap_step = (tx, step)
        else:
            _marks[cursor] = (tx, step)
    except Exception:
        pass  # neither a __dict__ nor weak references: no fetch counts


def count_fetch(cursor, rows):
    try:
        if hasattr(cursor, "__dict__"):
            marker = cursor.__dict__.get("_whatap_step")
        else:
            marker = _marks.get(cursor)
        if marker is None or rows <= 0:
            return
        tx, step = marker
        if step is not None and not tx.done:
            step["fetch"] = step.get("fetch", 0) + rows
    except Exception as e:
        failed("sql fetch count", e)


# The fetch methods a cursor class may define, and how many rows each one's result is.
FETCH_METHODS = (("fetchone", lambda r: 1 if r is not None else 0), ("fetchmany", len), ("fetchall", len))


def counted_fetch(original, counter):
    """The fetch method ``original`` counting the rows it returns (``counter(result)``)."""
    def traced(self, *args, **kwargs):
        rows = original(self, *args, **kwargs)
        try:
            count_fetch(self, counter(rows))
        except Exception as e:
            failed("sql fetch count", e)
        return rows
    return traced


def counted_fetch_async(original, counter):
    """``counted_fetch`` for a coroutine fetch method."""
    async def traced(self, *args, **kwargs):
        rows = await original(self, *args, **kwargs)
        try:
            count_fetch(self, counter(rows))
        except Exception as e:
            failed("sql fetch count", e)
        return rows
    return traced


def counted_iter(original_iter):
    """An ``__iter__`` counting each row ``original_iter`` yields."""
    def __iter__(self):
        for row in original_iter(self):
            count_fetch(self, 1)
            yield row
    return __iter__


class CursorMixin:
    """Mixed in front of a driver's cursor class."""

    def execute(self, sql, *args, **kwargs):
        params = args[0] if args else next(iter(kwargs.values()), None)
        sup = super()
        return run_sql(self, lambda: sup.execute(sql, *args, **kwargs), sql, params)

    def executemany(self, sql, seq, *args, **kwargs):
        seq = list(seq) if not isinstance(seq, (list, tuple)) else seq
        sup = super()
        return run_sql(self, lambda: sup.executemany(sql, seq, *args, **kwargs), sql, seq, many=True)

    def fetchone(self):
        row = super().fetchone()
        if row is not None:
            count_fetch(self, 1)
        return row

    def fetchmany(self, *args, **kwargs):
        rows = super().fetchmany(*args, **kwargs)
        count_fetch(self, len(rows))
        return rows

    def fetchall(self):
        rows = super().fetchall()
        count_fetch(self, len(rows))
        return rows

    def __iter__(self):
        # next() on what the driver's __iter__ returns, never iter(self) again (that is us).
        rows = super().__iter__()
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            count_fetch(self, 1)
            yield row


def _traced_subclass(cache, base, mixin, name_prefix="Whatap"):
    """``base`` with ``mixin`` in front (made once per base); ``base`` itself when that fails."""
    cls = cache.get(base)
    if cls is None:
        if not isinstance(base, type) or getattr(base, "_whatap_traced", False):
            return base  # a factory function: left alone
        try:
            cls = type(name_prefix + base.__name__, (mixin, base), {"_whatap_traced": True,
                                                                   "__module__": base.__module__})
        except Exception as e:
            failed("traced subclass of %s" % getattr(base, "__name__", "?"), e)
            return base
        cache[base] = cls
    return cls


def dbc(label, connect):
    """``connect()`` exactly once, as a ``dbc`` step; ``label()`` names it."""
    tx = context.current()
    if tx is None or tx.done:
        return connect()
    t = perf()
    try:
        conn = connect()
    except Exception as e:
        _record_dbc(tx, label, t, e)
        raise
    _record_dbc(tx, label, t)
    return conn


def _record_dbc(tx, label, t, error=None):
    try:
        tx.add_dbc(label(), t, error)
    except Exception as e:
        failed("db connect step", e)


async def dbc_async(label, connect):
    """``dbc`` for a coroutine: ``connect()`` returns the awaitable."""
    tx = context.current()
    if tx is None or tx.done:
        return await connect()
    t = perf()
    try:
        conn = await connect()
    except Exception as e:
        _record_dbc(tx, label, t, e)
        raise
    _record_dbc(tx, label, t)
    return conn


# -- sqlite3 --------------------------------------------------------------------------------
def patch_sqlite3(dbapi2):
    if getattr(dbapi2.connect, "_whatap", False):
        return
    base_connection, base_cursor = dbapi2.Connection, dbapi2.Cursor
    original_connect = dbapi2.connect
    cursors, connections = {}, {}

    class ConnectionMixin:
        def cursor(self, factory=base_cursor):
            return super().cursor(_traced_subclass(cursors, factory, CursorMixin))

        # Connection.execute and friends are C shortcuts that bypass a cursor subclass's methods.
        def execute(self, sql, parameters=()):
            return self.cursor().execute(sql, parameters)

        def executemany(self, sql, parameters):
            return self.cursor().executemany(sql, parameters)

        def executescript(self, script):
            cur = self.cursor()
            return run_sql(cur, lambda: base_cursor.executescript(cur, script), script, None)

    def connect(*args, **kwargs):
        if len(args) > 5:  # factory passed positionally: leave it alone
            return original_connect(*args, **kwargs)
        factory = kwargs.get("factory") or base_connection
        kwargs["factory"] = _traced_subclass(connections, factory, ConnectionMixin)
        database = args[0] if args else kwargs.get("database", "")
        return dbc(lambda: "sqlite3 %s" % (database,), lambda: original_connect(*args, **kwargs))

    connect._whatap = True
    connect.__wrapped__ = original_connect
    dbapi2.connect = connect
    import sys
    package = sys.modules.get("sqlite3")
    if package is not None and getattr(package, "connect", None) is original_connect:
        package.connect = connect


# -- psycopg2 -------------------------------------------------------------------------------
def patch_psycopg2(psycopg2):
    if getattr(psycopg2.connect, "_whatap", False):
        return
    ext = psycopg2.extensions
    original_connect = psycopg2.connect
    cursors, connections = {}, {}

    class PgCursorMixin(CursorMixin):
        def execute(self, query, vars=None):
            sup = super(CursorMixin, self)
            return run_sql(self, lambda: sup.execute(query, vars), query_text(query, self), vars)

        def executemany(self, query, vars_list):
            vars_list = list(vars_list)
            sup = super(CursorMixin, self)
            return run_sql(self, lambda: sup.executemany(query, vars_list), query_text(query, self), vars_list,
                           many=True)

    class ConnectionMixin:
        def cursor(self, *args, **kwargs):
            factory = kwargs.get("cursor_factory") or self.cursor_factory or ext.cursor
            kwargs["cursor_factory"] = _traced_subclass(cursors, factory, PgCursorMixin)
            return super().cursor(*args, **kwargs)

    def connect(dsn=None, connection_factory=None, cursor_factory=None, **kwargs):
        factory = _traced_subclass(connections, connection_factory or ext.connection, ConnectionMixin)
        def label():
            return "psycopg2 %s" % " ".join("%s=%s" % (k, kwargs[k]) for k in ("host", "port", "dbname")
                                            if k in kwargs)
        return dbc(label, lambda: original_connect(dsn, connection_factory=factory,
                                                   cursor_factory=cursor_factory, **kwargs))

    connect._whatap = True
    connect.__wrapped__ = original_connect
    psycopg2.connect = connect


def query_text(query, cursor):
    if isinstance(query, (str, bytes)):
        return query
    try:  # psycopg2.sql.Composed
        return query.as_string(cursor)
    except Exception:
        pass
    try:
        return str(query)
    except Exception as e:
        failed("sql text", e)
        return ""


def install(tracer):
    when_imported("sqlite3.dbapi2", patch_sqlite3)
    when_imported("psycopg2", patch_psycopg2)
