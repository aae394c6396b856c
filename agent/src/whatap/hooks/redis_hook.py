"""Redis commands through redis-py (``redis.Redis`` and ``redis.asyncio.Redis``).

Each command is an ``sql`` step (the wire contract has no Redis kind; ``sql`` is the step the
console lists with its time and reveals parameters of) whose text names the command and how
many keys it touches, never a value: ``redis GET 1 key``, ``redis MGET 3 keys``, ``redis PING``.
With ``profile_sql_param_enabled`` the arguments (keys and values) are the step's parameters,
encrypted by the agent process like SQL bind values. A pipeline (or MULTI/EXEC transaction)
is one step listing its commands. Opening a connection is a ``dbc`` step.
"""
from ..tracer import context, values
from ..tracer.transaction import perf
from . import failed, when_imported
from .dbapi import dbc, dbc_async

PIPELINE_NAMES = 10  # commands named in a pipeline step's text

# How many of a command's arguments are keys, where it is not "the first one".
_NO_KEYS = frozenset((
    "PING", "ECHO", "INFO", "DBSIZE", "FLUSHDB", "FLUSHALL", "SELECT", "AUTH", "HELLO", "CLIENT", "CONFIG",
    "COMMAND", "TIME", "LASTSAVE", "SAVE", "BGSAVE", "BGREWRITEAOF", "SHUTDOWN", "SLOWLOG", "MEMORY", "MODULE",
    "SCRIPT", "FUNCTION", "MULTI", "EXEC", "DISCARD", "UNWATCH", "SCAN", "KEYS", "RANDOMKEY", "PUBLISH",
    "SWAPDB", "WAIT", "ROLE", "READONLY", "READWRITE", "RESET", "QUIT", "DEBUG", "LATENCY", "ACL", "CLUSTER",
))
_ALL_KEYS = frozenset(("MGET", "DEL", "UNLINK", "EXISTS", "TOUCH", "WATCH", "SINTER", "SUNION", "SDIFF",
                       "PFCOUNT", "PFMERGE", "RENAME", "RENAMENX", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"))
_PAIRS = frozenset(("MSET", "MSETNX"))
_ALL_BUT_LAST = frozenset(("BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX", "BRPOPLPUSH"))
_NUMKEYS = frozenset(("EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"))


def _name(args):
    first = args[0] if args else ""
    if isinstance(first, (bytes, bytearray)):
        first = bytes(first).decode("ascii", "replace")
    return str(first).upper()


def key_count(name, args):
    """How many keys the command ``name`` with ``args`` (after the name) touches."""
    words = name.split()
    head = words[0] if words else ""
    rest = len(args) - (len(words) - 1)
    if head in _NO_KEYS or rest <= 0:
        return 0
    if head in _ALL_KEYS:
        return rest
    if head in _PAIRS:
        return rest // 2
    if head in _ALL_BUT_LAST:
        return max(rest - 1, 0)
    if head in _NUMKEYS:
        try:
            return max(int(args[len(words)]), 0)
        except (IndexError, TypeError, ValueError):
            return 0
    return 1


def describe(args):
    """``GET 1 key`` for ``("GET", "k")``; commands such as ``CONFIG GET`` keep both words."""
    name = _name(args)
    if " " not in name and name in ("CONFIG", "CLIENT", "SCRIPT", "CLUSTER", "COMMAND", "MEMORY", "OBJECT",
                                    "XINFO", "XGROUP", "FUNCTION", "ACL", "SLOWLOG") and len(args) > 1:
        name = "%s %s" % (name, _name(args[1:]))
    rest = args[1:]
    keys = key_count(name, rest)
    if keys == 0:
        return name
    return "%s %d key%s" % (name, keys, "" if keys == 1 else "s")


def _args(args):
    return [values.scalar(a) for a in args[:values.MAX_VALUES]]


def _step(tx, text, t, params, error=None):
    """An ``sql`` step without a fetch count (fetches are rows; Redis has none)."""
    try:
        step = tx.add_sql(values.text(text, 4096), t, params, error)
        if step is not None:
            step.pop("fetch", None)
    except Exception as e:
        failed("redis step", e)


def _started(args_of):
    tx = context.current()
    if tx is None or tx.done:
        return None
    try:
        described = args_of(tx.tracer.sql_params)
    except Exception as e:
        failed("redis command text", e)
        return None
    if described is None:
        return None
    return tx, described[0], described[1], perf()


def _command(args):
    return lambda with_params: ("redis " + describe(args), _args(args) if with_params else None)


def _pipeline(stack):
    def make(with_params):
        commands = [args for args, _options in stack]
        names = ", ".join(describe(a) for a in commands[:PIPELINE_NAMES])
        more = ", …" if len(commands) > PIPELINE_NAMES else ""
        flat = [values.scalar(a) for args in commands for a in args][:values.MAX_VALUES] if with_params else None
        return "redis PIPELINE %d command%s: %s%s" % (len(commands), "" if len(commands) == 1 else "s",
                                                        names, more), flat
    return make


def _wrap(original, describe_call):
    def traced(self, *args, **kwargs):
        started = _started(describe_call(self, args))
        if started is None:
            return original(self, *args, **kwargs)
        tx, text, params, t = started
        try:
            result = original(self, *args, **kwargs)
        except Exception as e:
            _step(tx, text, t, params, e)
            raise
        _step(tx, text, t, params)
        return result
    traced._whatap = True
    traced.__wrapped__ = original
    return traced


def _wrap_async(original, describe_call):
    async def traced(self, *args, **kwargs):
        started = _started(describe_call(self, args))
        if started is None:
            return await original(self, *args, **kwargs)
        tx, text, params, t = started
        try:
            result = await original(self, *args, **kwargs)
        except Exception as e:
            _step(tx, text, t, params, e)
            raise
        _step(tx, text, t, params)
        return result
    traced._whatap = True
    traced.__wrapped__ = original
    return traced


def _by_args(self, args):
    return _command(args)


def _by_stack(self, args):
    stack = list(self.command_stack)
    return _pipeline(stack) if stack else (lambda with_params: None)  # an empty execute() sends nothing


def _patch(cls, name, describe_call, is_async):
    original = cls.__dict__.get(name)
    if original is None or getattr(original, "_whatap", False):
        return
    setattr(cls, name, (_wrap_async if is_async else _wrap)(original, describe_call))


def _label(conn):
    path = getattr(conn, "path", None)
    where = path if path else "%s:%s" % (getattr(conn, "host", "?"), getattr(conn, "port", "?"))
    return "redis %s/%s" % (where, getattr(conn, "db", 0))


def _patch_connect(cls, is_async):
    original = cls.__dict__.get("connect")
    if original is None or getattr(original, "_whatap", False):
        return
    if is_async:
        async def connect(self):
            if getattr(self, "is_connected", True):
                return await original(self)
            return await dbc_async(lambda: _label(self), lambda: original(self))
    else:
        def connect(self):
            if getattr(self, "_sock", True):
                return original(self)
            return dbc(lambda: _label(self), lambda: original(self))
    connect._whatap = True
    connect.__wrapped__ = original
    cls.connect = connect


def patch_sync(client):
    _patch(client.Redis, "execute_command", _by_args, False)
    _patch(client.Pipeline, "immediate_execute_command", _by_args, False)  # WATCH and reads before MULTI
    _patch(client.Pipeline, "execute", _by_stack, False)
    from redis import connection
    _patch_connect(connection.Connection, False)


def patch_async(client):
    _patch(client.Redis, "execute_command", _by_args, True)
    _patch(client.Pipeline, "immediate_execute_command", _by_args, True)
    _patch(client.Pipeline, "execute", _by_stack, True)
    from redis.asyncio import connection
    _patch_connect(connection.Connection, True)


def install(tracer):
    when_imported("redis.client", patch_sync)
    when_imported("redis.asyncio.client", patch_async)
