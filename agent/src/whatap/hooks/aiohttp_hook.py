"""HTTP call steps for the aiohttp client: each ``ClientSession`` request (``get``, ``post``,
``request``…) is a step from the call until the response headers are read (redirects
followed inside it). The URL is the one asked for, with scheme, host, port and path only."""
from ..tracer import context
from ..tracer.transaction import perf
from . import failed, when_imported
from .httpclient import http_url, record_call


def _url(session, str_or_url):
    build = getattr(session, "_build_url", None)  # resolves against the session's base_url (3.8+)
    if build is not None:
        url = build(str_or_url)
    else:
        from yarl import URL
        url = URL(str_or_url)
    return http_url(url.scheme, url.host, url.explicit_port if hasattr(url, "explicit_port") else url.port,
                    url.path)


def patch(client):
    cls = client.ClientSession
    original = cls.__dict__.get("_request")
    if original is None or getattr(original, "_whatap", False):
        return

    async def _request(self, method, str_or_url, *args, **kwargs):
        tx = context.current()
        if tx is None or tx.done:
            return await original(self, method, str_or_url, *args, **kwargs)
        try:
            url = _url(self, str_or_url)
        except Exception as e:
            failed("http call start", e)
            return await original(self, method, str_or_url, *args, **kwargs)
        t = perf()
        try:
            response = await original(self, method, str_or_url, *args, **kwargs)
        except Exception as e:
            record_call(tx, url, t, None, e)
            raise
        record_call(tx, url, t, getattr(response, "status", None))
        return response

    _request._whatap = True
    _request.__wrapped__ = original
    cls._request = _request


def install(tracer):
    when_imported("aiohttp.client", patch)
