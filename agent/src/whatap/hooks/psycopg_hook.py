"""SQL steps for psycopg 3, sync and async (``psycopg.Connection`` / ``AsyncConnection``).

Its classes are pure Python and patched in place: ``connect`` is a ``dbc`` step, each
``execute`` / ``executemany`` of the client and server-side cursors an SQL step, and the
fetch methods count rows. Cursors have ``__slots__``, so the step their fetches count to is
kept in a weak map (``dbapi.mark``). The async transaction is the request's: the
transaction lives in a ContextVar, which every task of the request sees.
"""
from . import when_imported
from .dbapi import (FETCH_METHODS, count_fetch, counted_fetch, counted_fetch_async, counted_iter, dbc, dbc_async,
                    query_text, run_sql, run_sql_async)

_LABEL_KEYS = ("host", "port", "dbname")


def _label(conninfo, kwargs):
    """``psycopg host=… port=… dbname=…`` from what the app passed (a conninfo string or URI,
    keywords); never the user or password."""
    def make():
        given = {k: v for k, v in kwargs.items() if k in _LABEL_KEYS}
        try:
            from psycopg.conninfo import conninfo_to_dict
            found = conninfo_to_dict(conninfo or "", **given)
        except Exception:
            found = given
        return "psycopg " + " ".join("%s=%s" % (k, found[k]) for k in _LABEL_KEYS if found.get(k) not in (None, ""))
    return make


def _patch_connect(cls, is_async):
    raw = cls.__dict__.get("connect")
    if not isinstance(raw, classmethod) or getattr(raw.__func__, "_whatap", False):
        return
    original = raw.__func__
    if is_async:
        async def connect(klass, conninfo="", **kwargs):
            return await dbc_async(_label(conninfo, kwargs), lambda: original(klass, conninfo, **kwargs))
    else:
        def connect(klass, conninfo="", **kwargs):
            return dbc(_label(conninfo, kwargs), lambda: original(klass, conninfo, **kwargs))
    connect._whatap = True
    connect.__wrapped__ = original
    connect.__doc__ = original.__doc__
    cls.connect = classmethod(connect)


def _patch_cursor(cls, is_async):
    if cls.__dict__.get("_whatap_traced"):
        return
    execute, executemany = cls.__dict__.get("execute"), cls.__dict__.get("executemany")
    run = run_sql_async if is_async else run_sql
    if execute is not None:
        def traced_execute(self, query, params=None, **kwargs):
            return run(self, lambda: execute(self, query, params, **kwargs), query_text(query, self), params)
        cls.execute = traced_execute
    if executemany is not None:
        def traced_executemany(self, query, params_seq, **kwargs):
            params_seq = list(params_seq)
            return run(self, lambda: executemany(self, query, params_seq, **kwargs), query_text(query, self),
                       params_seq, many=True)
        cls.executemany = traced_executemany
    for name, counter in FETCH_METHODS:
        original = cls.__dict__.get(name)
        if original is not None:
            setattr(cls, name, (counted_fetch_async if is_async else counted_fetch)(original, counter))
    if is_async and "__aiter__" in cls.__dict__:
        original_aiter = cls.__dict__["__aiter__"]

        async def __aiter__(self):
            async for row in original_aiter(self):
                count_fetch(self, 1)
                yield row
        cls.__aiter__ = __aiter__
    elif not is_async and "__iter__" in cls.__dict__:
        cls.__iter__ = counted_iter(cls.__dict__["__iter__"])
    cls._whatap_traced = True


def patch(psycopg):
    from psycopg import server_cursor
    _patch_connect(psycopg.Connection, False)
    _patch_connect(psycopg.AsyncConnection, True)
    psycopg.connect = psycopg.Connection.connect  # bound when psycopg was imported
    _patch_cursor(psycopg.Cursor, False)
    _patch_cursor(server_cursor.ServerCursor, False)
    _patch_cursor(psycopg.AsyncCursor, True)
    _patch_cursor(server_cursor.AsyncServerCursor, True)


def install(tracer):
    when_imported("psycopg", patch)
