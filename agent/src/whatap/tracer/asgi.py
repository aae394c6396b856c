"""Tracing an ASGI call (FastAPI, Starlette, any ASGI 3 app): one transaction per ``http``
scope, kept in a ContextVar so the steps of concurrent requests on one event loop never mix.

- The status comes from ``http.response.start``; the transaction ends when the last body
  chunk (``more_body`` false) has been sent, so a streaming response is timed to its last
  byte; or when the app raises (status 500 unless a response had started), or returns
  without finishing its response, or the client disconnects first.
- Work the app does after its response (Starlette's background tasks) is its own
  transaction named ``<name> (background)``, sent only when it recorded a step or failed.
- CPU is the sum of thread CPU time over the steps of the request's own task, measured
  around each resumption of the app's coroutine: what other requests do while this one
  awaits is not counted, nor work handed to threads (sync endpoints in the thread pool).
- ``websocket`` and ``lifespan`` scopes pass through untraced: they are not HTTP requests.

The app's own calls run exactly once and what they return or raise reaches the server
unchanged; the tracer's work around them is guarded and its failures go to the hook log."""
from ..hooks import failed
from . import context
from .transaction import thread_time

BACKGROUND = " (background)"


_HEADERS = {b"user-agent": 0, b"traceparent": 1, b"tracestate": 2}


def request_of(scope):
    """Tracer.begin's arguments for an ``http`` scope: (path, method, client address, user
    agent, query string), and its trace context headers by name."""
    path = scope.get("path") or "/"
    root = scope.get("root_path") or ""
    if root and not path.startswith(root):
        path = root + path
    client = scope.get("client")
    found = [None, None, None]
    for name, value in scope.get("headers") or ():
        i = _HEADERS.get(name)
        if i is not None and found[i] is None:
            found[i] = value.decode("latin-1")
    query = scope.get("query_string") or b""
    return (path, scope.get("method") or "GET", client[0] if client else "", found[0] or "",
            query.decode("latin-1") if query else None), {"traceparent": found[1], "tracestate": found[2]}


async def trace_asgi(tracer, app, scope, receive, send):
    """Runs ``app(scope, receive, send)`` inside a transaction (unless one is running)."""
    if tracer is None or scope.get("type") != "http":
        return await app(scope, receive, send)
    running = context.current()
    if running is not None and not running.done:
        return await app(scope, receive, send)  # an app inside a traced app: one transaction
    try:
        args, trace_headers = request_of(scope)
        tx = tracer.begin(*args, task_cpu=True, **trace_headers)
        if tx is not None:
            token = context.set_current(tx)
    except Exception as e:
        failed("asgi start", e)
        tx = None
    if tx is None:
        return await app(scope, receive, send)
    call = _Call(tracer, tx)
    try:
        await _TaskCpu(app(scope, call.receive(receive), call.send(send)), tx)
    except BaseException as e:
        call.raised(e)
        raise
    else:
        call.returned()
    finally:
        try:
            context.reset_current(token)
        except Exception as e:
            failed("asgi context", e)


def trace_asgi_class(tracer, cls):
    """Traces every instance of a framework's ASGI class at ``cls.__call__``; once only."""
    original_call = cls.__call__
    if getattr(original_call, "_whatap", False):
        return

    async def __call__(self, scope, receive, send):
        return await trace_asgi(tracer, lambda s, r, w: original_call(self, s, r, w), scope, receive, send)

    __call__._whatap = True
    __call__.__wrapped__ = original_call
    cls.__call__ = __call__


class _Call:
    """The transaction of one ASGI call through its phases: the response, then what runs after."""

    __slots__ = ("tracer", "tx", "phase", "answered")

    RESPONSE, AFTER, ENDED = 0, 1, 2

    def __init__(self, tracer, tx):
        self.tracer = tracer
        self.tx = tx
        self.phase = self.RESPONSE
        self.answered = None  # the exception the response reported (Starlette answers 500, then raises)

    def send(self, send):
        async def traced_send(message):
            kind = message.get("type")
            if kind == "http.response.start" and self.phase == self.RESPONSE:
                try:
                    self.tx.status = int(message.get("status") or 0)
                except (TypeError, ValueError):
                    pass  # the server will say what it thinks of that status
            await send(message)
            if kind == "http.response.body" and not message.get("more_body", False) \
                    and self.phase == self.RESPONSE:
                self.response_sent()
        return traced_send

    def receive(self, receive):
        async def traced_receive():
            message = await receive()
            if self.phase == self.RESPONSE and message.get("type") == "http.disconnect":
                self.disconnected()
            return message
        return traced_receive

    def response_sent(self):
        """The last body chunk is out: the transaction ends; what follows is 'background'."""
        try:
            tx = self.tx
            self.tracer.finish(tx)
            self.phase = self.AFTER
            self.answered = tx.raised
            tx.restart(self.tracer.next_txid(), tx.url + BACKGROUND)
        except Exception as e:
            self.phase = self.ENDED
            failed("asgi finish", e)

    def disconnected(self):
        try:
            tx = self.tx
            tx.add_message("the client disconnected before the response was complete")
            self.tracer.finish(tx)
        except Exception as e:
            failed("asgi finish", e)
        self.phase = self.ENDED

    def raised(self, error):
        try:
            tx = self.tx
            if self.phase == self.RESPONSE and tx.status == 0:
                tx.status = 500
            if self.phase != self.ENDED and error is not self.answered and not isinstance(error, GeneratorExit):
                tx.set_error(error)
        except Exception as e:
            failed("asgi error capture", e)
        self.returned()

    def returned(self):
        try:
            tx = self.tx
            if self.phase == self.RESPONSE:
                self.tracer.finish(tx)
            elif self.phase == self.AFTER:
                if tx.steps or tx.error is not None:
                    self.tracer.finish(tx)
                else:
                    tx.done = True  # nothing ran after the response: no transaction
        except Exception as e:
            failed("asgi finish", e)
        self.phase = self.ENDED


class _TaskCpu:
    """Awaits ``coro`` adding the thread CPU time of each of its resumptions to
    ``tx.task_cpu``: the CPU this request's task used, whatever ran between its steps."""

    __slots__ = ("coro", "tx")

    def __init__(self, coro, tx):
        self.coro = coro
        self.tx = tx

    def __await__(self):
        coro = self.coro
        tx = self.tx
        value = None
        error = None
        while True:
            tx.cpu0 = thread_time()  # the step's start; finish() counts a step it ends in
            try:
                if error is None:
                    yielded = coro.send(value)
                else:
                    yielded = coro.throw(error)
            except StopIteration as stop:
                _step_done(tx)
                return stop.value
            except BaseException:
                _step_done(tx)
                raise
            _step_done(tx)
            error = None
            value = None
            try:
                value = yield yielded
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as e:
                error = e


def _step_done(tx):
    tx.task_cpu += thread_time() - tx.cpu0
    tx.cpu0 = None
