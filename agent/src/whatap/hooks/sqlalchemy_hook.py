"""SQL steps for SQLAlchemy (Core and ORM), through its public engine events.

Each statement SQLAlchemy sends to a DB-API cursor is one SQL step, recorded here with the
statement and parameters as SQLAlchemy passes them (``executemany`` is one step, even when
the dialect sends it as several driver calls, e.g. psycopg2's ``execute_values`` pages). While
SQLAlchemy runs the statement, the driver's own hook (sqlite3, psycopg2, pymysql, MySQLdb)
leaves that cursor alone (``dbapi.outer_cursor``), so no statement is recorded twice; connecting
stays the driver's ``dbc`` step. Drivers the agent does not hook get SQL steps too.
"""
import contextvars

from . import failed, when_imported
from .dbapi import outer_cursor, sql_done, sql_started

_pending = contextvars.ContextVar("whatap_sqlalchemy_statement", default=None)


def _before(conn, cursor, statement, parameters, context, executemany):
    try:
        started = sql_started(None, statement)
        if started is None:
            _pending.set(None)
            return
        outer_cursor.set(cursor)
        _pending.set((cursor, started, parameters, executemany))
    except Exception as e:
        failed("sqlalchemy statement start", e)


def _after(conn, cursor, statement, parameters, context, executemany):
    _finish(cursor)


def _error(exception_context):
    _finish(getattr(exception_context, "cursor", None), getattr(exception_context, "original_exception", None))


def _finish(cursor, error=None):
    """Ends the pending statement; ``cursor`` None (an error SQLAlchemy reports without its
    cursor) ends whichever is pending in this context."""
    try:
        pending = _pending.get()
        if pending is None or (cursor is not None and pending[0] is not cursor):
            return
        _pending.set(None)
        cursor, started, parameters, executemany = pending
        if outer_cursor.get() is cursor:
            outer_cursor.set(None)
        sql_done(cursor, started, parameters, executemany, error if isinstance(error, Exception) else None)
    except Exception as e:
        failed("sqlalchemy statement step", e)


def patch(sqlalchemy):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    if getattr(Engine, "_whatap_traced", False):
        return
    event.listen(Engine, "before_cursor_execute", _before)
    event.listen(Engine, "after_cursor_execute", _after)
    event.listen(Engine, "handle_error", _error)
    Engine._whatap_traced = True


def install(tracer):
    when_imported("sqlalchemy", patch)

