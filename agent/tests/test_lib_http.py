"""HTTP-call steps for httpx (sync and async), urllib3 used directly, requests and the aiohttp
client against a local HTTP server: the URL without its query string, the status, the time,
and a failed connection as a step with its error."""
import asyncio

import pytest

from conftest import free_port
from tracer_harness import body_app, call, traced, tracer  # noqa: F401  (the in-process tracer fixtures)


def _calls(tx):
    return [(s["text"], s.get("status"), bool(s.get("error"))) for s in tx["steps"] if s["kind"] == "httpc"]


def _run(tracer, body, path):
    assert call(body_app(body), path)[0] == "200 OK"
    _, tx = tracer.sink.next()
    assert tx["url"] == path
    assert all(s["elapsed"] >= 0 for s in tx["steps"])
    return tx


def test_httpx_sync(tracer, backend):  # noqa: F811
    httpx = pytest.importorskip("httpx")
    closed = "http://127.0.0.1:%d/down?x=1" % free_port()

    def body():
        with httpx.Client() as client:
            ok = client.get(backend + "/backend?token=secret#frag").status_code
            missing = client.get(backend + "/nope", params={"q": "secret"}).status_code
            try:
                client.get(closed)
            except httpx.ConnectError:
                pass
        return b"%d %d" % (ok, missing)

    tx = _run(tracer, body, "/httpx")
    assert _calls(tx) == [(backend + "/backend", 200, False), (backend + "/nope", 404, False),
                          (closed.split("?")[0], None, True)]
    assert tx["httpcCount"] == 3 and "secret" not in str(tx)


def test_httpx_async(tracer, backend):  # noqa: F811
    httpx = pytest.importorskip("httpx")

    async def work():
        async with httpx.AsyncClient() as client:
            return await asyncio.gather(client.get(backend + "/backend?a=1"), client.get(backend + "/other?b=2"))

    tx = _run(tracer, lambda: b"%d" % len(asyncio.run(work())), "/httpx-async")
    assert sorted(_calls(tx)) == [(backend + "/backend", 200, False), (backend + "/other", 404, False)]


def test_urllib3_directly_and_requests(tracer, backend):  # noqa: F811
    urllib3 = pytest.importorskip("urllib3")
    requests = pytest.importorskip("requests")

    def body():
        pool = urllib3.PoolManager()
        first = pool.request("GET", backend + "/backend?key=secret").status
        second = requests.get(backend + "/backend", params={"key": "secret"}, timeout=10).status_code
        return b"%d %d" % (first, second)

    tx = _run(tracer, body, "/urllib3")
    assert _calls(tx) == [(backend + "/backend", 200, False)] * 2


def test_urllib3_https_connections_are_named_https():
    urllib3 = pytest.importorskip("urllib3")
    from whatap.hooks.httpclient import _url
    assert _url(urllib3.connection.HTTPSConnection("shop.example", 443), "/pay?card=4111") == \
        "https://shop.example/pay"
    assert _url(urllib3.connection.HTTPSConnection("shop.example", 8443), "/pay") == "https://shop.example:8443/pay"
    assert _url(urllib3.connection.HTTPConnection("proxy", 3128), "http://u:pw@shop.example/x?y=1") == \
        "http://shop.example/x"


def test_aiohttp_client(tracer, backend):  # noqa: F811
    aiohttp = pytest.importorskip("aiohttp")
    closed = "http://127.0.0.1:%d/down" % free_port()

    async def work():
        async with aiohttp.ClientSession() as session:
            async with session.get(backend + "/backend", params={"token": "secret"}) as r:
                first = r.status
                await r.read()
            async with session.get(backend + "/nope?x=1") as r:
                second = r.status
            try:
                async with session.get(closed):
                    pass
            except aiohttp.ClientConnectionError:
                pass
        return first, second

    tx = _run(tracer, lambda: b"%d %d" % asyncio.run(work()), "/aiohttp")
    assert _calls(tx) == [(backend + "/backend", 200, False), (backend + "/nope", 404, False), (closed, None, True)]
    assert "secret" not in str(tx)
