"""HTTP call steps through ``http.client`` (which urllib, urllib3 1.x and requests use), and
the URL and step helpers the other HTTP clients' hooks (httpx, aiohttp) share.

The step starts at ``putrequest`` and ends when ``getresponse`` returns (the response
headers). Only scheme, host, port and path are kept: query strings and user info may carry
secrets.

Each call carries the W3C ``traceparent`` of a new span of the transaction's trace (and the
incoming ``tracestate``), recorded as the step's ``spanId`` (tracer/trace_context.py).
"""
from ..tracer import context, trace_context
from ..tracer.transaction import perf
from . import failed, when_imported


DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def http_url(scheme, host, port, path):
    """``scheme://host[:port]/path``: no user info, query string or fragment; the default
    port left out; an IPv6 host in brackets."""
    scheme = (scheme or "http").lower()
    host = host or ""
    if ":" in host and not host.startswith("["):
        host = "[%s]" % host
    port = "" if port in (None, "", DEFAULT_PORTS.get(scheme)) else ":%s" % port
    path = (path or "/").split("?", 1)[0].split("#", 1)[0]
    return "%s://%s%s%s" % (scheme, host, port, path if path.startswith("/") else "/" + path)


def record_call(tx, url, started, status=None, error=None, span_id=None):
    """The ``httpc`` step of a call that began at ``started`` (guarded)."""
    try:
        if not tx.done:
            tx.add_httpc(url, started, status, error, span_id)
    except Exception as e:
        failed("http call step", e)


def call_started(url_of):
    """``(tx, url, t0)`` for a call made inside a transaction, else None; ``url_of()`` raising
    is logged and leaves the call untraced."""
    tx = context.current()
    if tx is None or tx.done:
        return None
    try:
        return tx, url_of(), perf()
    except Exception as e:
        failed("http call start", e)
        return None


def with_trace_headers(tx, url, inject, self, args, kwargs):
    """``(span_id, args, kwargs)``: the call's arguments with the trace context headers added by
    ``inject(self, args, kwargs, headers)`` (None: none sent). A failure sends none."""
    if inject is None:
        return None, args, kwargs
    out = trace_context.outgoing(tx, url)
    if out is None:
        return None, args, kwargs
    try:
        args, kwargs = inject(self, args, kwargs, out[1])
        return out[0], args, kwargs
    except Exception as e:
        failed("trace context header", e)
        return None, args, kwargs


def _traced(original, url_of, status_attr, inject):
    def traced(self, *args, **kwargs):
        started = call_started(lambda: url_of(self, *args, **kwargs))
        if started is None:
            return original(self, *args, **kwargs)
        tx, url, t = started
        span, args, kwargs = with_trace_headers(tx, url, inject, self, args, kwargs)
        try:
            response = original(self, *args, **kwargs)
        except Exception as e:
            record_call(tx, url, t, None, e, span)
            raise
        record_call(tx, url, t, getattr(response, status_attr, None), None, span)
        return response
    return traced


def _traced_async(original, url_of, status_attr, inject):
    async def traced(self, *args, **kwargs):
        started = call_started(lambda: url_of(self, *args, **kwargs))
        if started is None:
            return await original(self, *args, **kwargs)
        tx, url, t = started
        span, args, kwargs = with_trace_headers(tx, url, inject, self, args, kwargs)
        try:
            response = await original(self, *args, **kwargs)
        except Exception as e:
            record_call(tx, url, t, None, e, span)
            raise
        record_call(tx, url, t, getattr(response, status_attr, None), None, span)
        return response
    return traced


def patch_call(cls, name, url_of, status_attr, is_async=False, inject=None):
    """Makes the method ``name`` that ``cls`` itself defines (once) an ``httpc`` step from its
    call until it returns the response: ``url_of`` takes the method's arguments and gives the
    URL, the response's ``status_attr`` is the status. ``inject(self, args, kwargs, headers)``
    returns the ``(args, kwargs)`` that send the trace context ``headers`` too."""
    original = cls.__dict__.get(name)
    if original is None or getattr(original, "_whatap", False):
        return
    traced = (_traced_async if is_async else _traced)(original, url_of, status_attr, inject)
    traced.__name__ = traced.__qualname__ = original.__name__
    traced._whatap = True
    traced.__wrapped__ = original
    setattr(cls, name, traced)


def _url(conn, target):
    if target.startswith(("http://", "https://")):  # through a proxy
        from urllib.parse import urlsplit
        parts = urlsplit(target)
        return http_url(parts.scheme, parts.hostname, parts.port, parts.path)
    import http.client
    # urllib3 1.x's HTTPSConnection derives from http.client.HTTPConnection: its default port says TLS.
    https = isinstance(conn, getattr(http.client, "HTTPSConnection", ())) or \
        getattr(conn, "default_port", 80) == 443
    return http_url("https" if https else "http", conn.host, conn.port, target)


def _record(conn, call, response, error=None):
    try:
        conn.__dict__.pop("_whatap_call", None)
        tx, started, url, span = call
    except Exception as e:
        failed("http call step", e)
        return
    record_call(tx, url, started, getattr(response, "status", None), error, span)


def _put_trace_headers(conn, call):
    """Sends the trace context headers right after the request line; returns the call with its span."""
    tx, started, url, _ = call
    out = trace_context.outgoing(tx, url)
    if out is None:
        return call
    try:
        for name, value in out[1]:
            conn.putheader(name, value)
    except Exception as e:
        failed("trace context header", e)
        return call
    return tx, started, url, out[0]


def patch(module):
    cls = module.HTTPConnection
    if getattr(cls.putrequest, "_whatap", False):
        return
    original_put = cls.putrequest
    original_get = cls.getresponse

    def putrequest(self, method, url, *args, **kwargs):
        tx = context.current()
        call = None
        if tx is not None and not tx.done:
            try:
                call = self._whatap_call = (tx, perf(), _url(self, url), None)
            except Exception as e:
                failed("http call start", e)
        result = original_put(self, method, url, *args, **kwargs)
        if call is not None:
            self._whatap_call = _put_trace_headers(self, call)
        return result

    def getresponse(self, *args, **kwargs):
        call = self.__dict__.get("_whatap_call")
        if call is None:
            return original_get(self, *args, **kwargs)
        try:
            response = original_get(self, *args, **kwargs)
        except TypeError:
            # urllib3 1.x first tries getresponse(buffering=True), then retries without it.
            raise
        except Exception as e:
            _record(self, call, None, e)
            raise
        _record(self, call, response)
        return response

    putrequest._whatap = True
    cls.putrequest = putrequest
    cls.getresponse = getresponse


def install(tracer):
    when_imported("http.client", patch)
