"""SQL steps for the MySQL / MariaDB drivers pymysql and MySQLdb (mysqlclient).

Both have pure-Python cursor classes, patched in place: ``execute`` and ``executemany`` become
SQL steps (``executemany`` one step, with the first row's values, even when the driver loops
over ``execute``), the fetch methods count rows, and opening a connection is a ``dbc`` step.
"""
from . import when_imported
from .dbapi import FETCH_METHODS, counted_fetch, counted_iter, dbc, run_sql


def _text(value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


def patch_cursor_class(cls):
    """Traces ``execute`` / ``executemany`` defined by ``cls`` itself (once)."""
    if cls.__dict__.get("_whatap_traced"):
        return
    execute, executemany = cls.__dict__.get("execute"), cls.__dict__.get("executemany")
    if execute is not None:
        def traced_execute(self, query, args=None):
            if self.__dict__.get("_whatap_busy"):
                return execute(self, query, args)
            return run_sql(self, lambda: execute(self, query, args), query, args)
        cls.execute = traced_execute
    if executemany is not None:
        def traced_executemany(self, query, args):
            args = list(args) if args is not None else args

            def call():
                self._whatap_busy = True  # executemany may loop over execute
                try:
                    return executemany(self, query, args)
                finally:
                    self._whatap_busy = False
            return run_sql(self, call, query, args, many=True)
        cls.executemany = traced_executemany
    cls._whatap_traced = True


def patch_fetch_methods(cls, iterate=False):
    """Counts the rows the fetch methods ``cls`` defines return; ``iterate``: its ``__iter__``
    returns the rows directly (not through ``fetchone``), so it is counted too."""
    if cls.__dict__.get("_whatap_fetch_traced"):
        return
    for name, counter in FETCH_METHODS:
        original = cls.__dict__.get(name)
        if original is not None:
            setattr(cls, name, counted_fetch(original, counter))
    original_iter = cls.__dict__.get("__iter__")
    if iterate and original_iter is not None:
        cls.__iter__ = counted_iter(original_iter)
    cls._whatap_fetch_traced = True


def _patch_connect(cls, name, label):
    """Makes ``cls``'s own method ``name`` (which opens the connection) a ``dbc`` step named
    ``label(connection, args, kwargs)``."""
    original = cls.__dict__.get(name)
    if original is None or getattr(original, "_whatap", False):
        return

    def traced(self, *args, **kwargs):
        return dbc(lambda: label(self, args, kwargs), lambda: original(self, *args, **kwargs))

    traced.__name__ = traced.__qualname__ = original.__name__
    traced._whatap = True
    traced.__wrapped__ = original
    setattr(cls, name, traced)


# -- pymysql --------------------------------------------------------------------------------
def patch_pymysql_cursors(cursors):
    # SSCursor defines its own execute-free fetch methods; both iterate through fetchone.
    for cls in (cursors.Cursor, getattr(cursors, "SSCursor", None)):
        if cls is None:
            continue
        patch_cursor_class(cls)
        patch_fetch_methods(cls)


def _pymysql_label(conn, args, kwargs):
    return "pymysql %s:%s/%s" % (_text(getattr(conn, "host", "")), getattr(conn, "port", ""),
                                 _text(getattr(conn, "db", "")))


def patch_pymysql_connections(connections):
    _patch_connect(connections.Connection, "connect", _pymysql_label)


# -- MySQLdb (mysqlclient) ------------------------------------------------------------------
def patch_mysqldb_cursors(cursors):
    patch_cursor_class(cursors.BaseCursor)
    patch_fetch_methods(cursors.CursorStoreResultMixIn, iterate=True)  # __iter__ returns the stored rows
    patch_fetch_methods(cursors.CursorUseResultMixIn)                   # __next__ calls fetchone


_MYSQLDB_POSITIONAL = ("host", "user", "passwd", "db", "port")


def _mysqldb_label(conn, args, kwargs):
    given = dict(zip(_MYSQLDB_POSITIONAL, args))
    given.update(kwargs)
    host = given.get("host") or given.get("unix_socket") or "localhost"
    return "MySQLdb %s:%s/%s" % (_text(host), given.get("port", 3306),
                                 _text(given.get("db", given.get("database", ""))))


def patch_mysqldb_connections(connections):
    _patch_connect(connections.Connection, "__init__", _mysqldb_label)  # connects in __init__


def install(tracer):
    when_imported("pymysql.cursors", patch_pymysql_cursors)
    when_imported("pymysql.connections", patch_pymysql_connections)
    when_imported("MySQLdb.cursors", patch_mysqldb_cursors)
    when_imported("MySQLdb.connections", patch_mysqldb_connections)
