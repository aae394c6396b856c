"""HTTP call steps for httpx, sync and async, at its transports (``HTTPTransport`` /
``AsyncHTTPTransport``): one step per request sent, redirects included, ending when the
response headers arrive, as for ``http.client``. The URL keeps scheme, host, port and path."""
from ..tracer import context
from ..tracer.transaction import perf
from . import failed, when_imported
from .httpclient import http_url, record_call


def _started(request):
    tx = context.current()
    if tx is None or tx.done:
        return None
    try:
        url = request.url
        return tx, http_url(url.scheme, url.host, url.port, url.path), perf()
    except Exception as e:
        failed("http call start", e)
        return None


def _patch_sync(cls):
    original = cls.__dict__.get("handle_request")
    if original is None or getattr(original, "_whatap", False):
        return

    def handle_request(self, request):
        started = _started(request)
        if started is None:
            return original(self, request)
        tx, url, t = started
        try:
            response = original(self, request)
        except Exception as e:
            record_call(tx, url, t, None, e)
            raise
        record_call(tx, url, t, getattr(response, "status_code", None))
        return response

    handle_request._whatap = True
    handle_request.__wrapped__ = original
    cls.handle_request = handle_request


def _patch_async(cls):
    original = cls.__dict__.get("handle_async_request")
    if original is None or getattr(original, "_whatap", False):
        return

    async def handle_async_request(self, request):
        started = _started(request)
        if started is None:
            return await original(self, request)
        tx, url, t = started
        try:
            response = await original(self, request)
        except Exception as e:
            record_call(tx, url, t, None, e)
            raise
        record_call(tx, url, t, getattr(response, "status_code", None))
        return response

    handle_async_request._whatap = True
    handle_async_request.__wrapped__ = original
    cls.handle_async_request = handle_async_request


def patch(httpx):
    _patch_sync(httpx.HTTPTransport)
    _patch_async(httpx.AsyncHTTPTransport)


def install(tracer):
    when_imported("httpx", patch)
