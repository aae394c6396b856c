"""HTTP call steps for the aiohttp client: each ``ClientSession`` request (``get``, ``post``,
``request``…) is a step from the call until the response headers are read (redirects
followed inside it). The URL is the one asked for, with scheme, host, port and path only.
The trace context headers join the request's own (a copy: the caller's mapping is left as it was)."""
from . import when_imported
from .httpclient import http_url, patch_call


def _url(session, method, str_or_url, *args, **kwargs):
    build = getattr(session, "_build_url", None)  # resolves against the session's base_url (3.8+)
    if build is not None:
        url = build(str_or_url)
    else:
        from yarl import URL
        url = URL(str_or_url)
    return http_url(url.scheme, url.host, url.explicit_port if hasattr(url, "explicit_port") else url.port,
                    url.path)


def _inject(session, args, kwargs, headers):
    from multidict import CIMultiDict
    merged = CIMultiDict(kwargs.get("headers") or ())
    for name, value in headers:
        merged[name] = value
    kwargs = dict(kwargs)
    kwargs["headers"] = merged
    return args, kwargs


def patch(client):
    patch_call(client.ClientSession, "_request", _url, "status", is_async=True, inject=_inject)


def install(tracer):
    when_imported("aiohttp.client", patch)
