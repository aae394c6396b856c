"""Tracing a WSGI call; the transaction ends when the server closes the response iterable,
so streaming responses are timed to their last byte.

The app's own calls (``call``, ``start_response``, the iterable) run exactly once and what
they return or raise reaches the server unchanged; the tracer's work around them is guarded
and its failures go to the hook log."""
from ..hooks import failed
from . import context


def trace_call(tracer, call, environ, start_response):
    """Runs ``call(environ, start_response)`` inside a transaction (unless one is running)."""
    if tracer is None:
        return call(environ, start_response)
    running = context.current()
    if running is not None:
        if running.environ_id == id(environ) and not running.done:
            return call(environ, start_response)  # an app inside a traced app: one transaction
        try:  # a previous request here was never closed by its server: end it now
            tracer.finish(running)
        except Exception as e:
            failed("wsgi finish", e)
    try:
        tx = tracer.start(environ)
        if tx is not None:
            tx.environ_id = id(environ)
            token = context.set_current(tx)
    except Exception as e:
        failed("wsgi start", e)
        tx = None
    if tx is None:
        return call(environ, start_response)

    def traced_start_response(status, headers, exc_info=None):
        try:
            tx.status = int(status[:3])
        except (ValueError, TypeError):
            pass  # the server will say what it thinks of that status
        except Exception as e:
            failed("wsgi status", e)
        if exc_info is None:
            return start_response(status, headers)
        return start_response(status, headers, exc_info)

    try:
        result = call(environ, traced_start_response)
    except BaseException as e:
        _end(tracer, tx, token, e)
        raise
    file_wrapper = environ.get("wsgi.file_wrapper")
    if file_wrapper is not None and isinstance(file_wrapper, type) and isinstance(result, file_wrapper):
        _end(tracer, tx, token)  # keep the server's sendfile path
        return result
    return TracedResponse(result, tracer, tx, token)


def trace_wsgi_class(tracer, cls):
    """Traces every instance of a framework's WSGI class at ``cls.__call__``; once only."""
    original_call = cls.__call__
    if getattr(original_call, "_whatap", False):
        return

    def __call__(self, environ, start_response):
        return trace_call(tracer, lambda e, s: original_call(self, e, s), environ, start_response)

    __call__._whatap = True
    __call__.__wrapped__ = original_call
    cls.__call__ = __call__


def _end(tracer, tx, token, error=None):
    try:
        if error is not None:
            if tx.status == 0:
                tx.status = 500
            tx.set_error(error)
        tracer.finish(tx)
    except Exception as e:
        failed("wsgi finish", e)
    try:
        context.reset_current(token)
    except ValueError:  # closed from another context: just clear ours
        context.set_current(None)
    except Exception as e:
        failed("wsgi context", e)


class TracedResponse:
    """Wraps the app's iterable; always closes it and ends the transaction exactly once."""

    __slots__ = ("_result", "_iter", "_tracer", "_tx", "_token")

    def __init__(self, result, tracer, tx, token):
        self._result = result
        self._iter = None
        self._tracer = tracer
        self._tx = tx
        self._token = token

    def __iter__(self):
        self._iter = iter(self._result)
        return self

    def __next__(self):
        if self._iter is None:
            self._iter = iter(self._result)
        try:
            return next(self._iter)
        except StopIteration:
            raise
        except BaseException as e:
            tx = self._tx
            if tx is not None:
                try:
                    tx.set_error(e)
                except Exception as failure:
                    failed("wsgi error capture", failure)
            raise

    def close(self):
        try:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()
        finally:
            tx, self._tx = self._tx, None
            if tx is not None:
                _end(self._tracer, tx, self._token)

    def __len__(self):
        return len(self._result)

    def __getattr__(self, name):
        return getattr(self._result, name)
