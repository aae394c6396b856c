"""HTTP call steps for httpx, sync and async, at its transports (``HTTPTransport`` /
``AsyncHTTPTransport``): one step per request sent, redirects included, ending when the
response headers arrive, as for ``http.client``. The URL keeps scheme, host, port and path.
The trace context headers are set on the request the transport sends."""
from . import when_imported
from .httpclient import http_url, patch_call


def _url(transport, request):
    url = request.url
    return http_url(url.scheme, url.host, url.port, url.path)


def _inject(transport, args, kwargs, headers):
    request = args[0] if args else kwargs["request"]
    for name, value in headers:
        request.headers[name] = value
    return args, kwargs


def patch(httpx):
    patch_call(httpx.HTTPTransport, "handle_request", _url, "status_code", inject=_inject)
    patch_call(httpx.AsyncHTTPTransport, "handle_async_request", _url, "status_code", is_async=True, inject=_inject)


def install(tracer):
    when_imported("httpx", patch)
