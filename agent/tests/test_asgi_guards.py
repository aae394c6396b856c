"""The ASGI tracing never raises into the app: a failure injected into the tracer's own work
leaves the answer as it was and is named in whatap-hook.log; the app's own exceptions reach
the server unchanged and are on the transaction. In-process, the FastAPI app called the way
an ASGI server calls it."""
import asyncio
import sqlite3

import pytest

from tracer_harness import (AppFailure, Injected, fresh_failure_log, hook_log, raise_injected,  # noqa: F401
                            traced, tracer)  # (the in-process tracer and guard fixtures)
from whatap.hooks import starlette_hook
from whatap.tracer.core import Tracer
from whatap.tracer.transaction import Transaction

fastapi = pytest.importorskip("fastapi")


RAISED = AppFailure("the app's own failure")


def make_app():
    from fastapi.responses import PlainTextResponse
    app = fastapi.FastAPI()

    @app.get("/items/{item_id}", response_class=PlainTextResponse)
    async def item(item_id: int):
        conn = sqlite3.connect(":memory:")
        conn.execute("SELECT 1").fetchone()
        await asyncio.sleep(0)
        conn.execute("SELECT 2").fetchone()
        conn.close()
        return "item %d" % item_id

    @app.get("/fail")
    async def fail():
        raise RAISED
    return app


def request(app, path):
    """(status, body) of one GET through the app, as a server makes it."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"q=1",
             "headers": [(b"user-agent", b"guard")], "client": ("10.9.8.7", 1), "server": ("x", 80)}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_traced_request_is_named_by_route_with_its_steps(tracer):  # noqa: F811
    assert request(make_app(), "/items/3") == (200, b"item 3")
    _, tx = tracer.sink.next()
    assert tx["url"] == "/items/{item_id}" and tx["status"] == 200 and tx["clientIp"] == "10.9.8.7"
    assert [s["text"] for s in tx["steps"] if s["kind"] == "sql"] == ["SELECT ?", "SELECT ?"]


@pytest.mark.parametrize("target, where", [(Tracer, "asgi start"), (Transaction, "asgi finish")])
def test_tracer_failures_leave_the_answer(tracer, hook_log, monkeypatch, target, where):  # noqa: F811
    monkeypatch.setattr(target, "begin" if target is Tracer else "to_row", raise_injected)
    assert request(make_app(), "/items/4") == (200, b"item 4")
    hook_log(where)


def test_route_name_failure_leaves_the_path(tracer, hook_log, monkeypatch):  # noqa: F811
    monkeypatch.setattr(starlette_hook, "_set_route", raise_injected)
    assert request(make_app(), "/items/5") == (200, b"item 5")
    hook_log("starlette route name")
    _, tx = tracer.sink.next()
    assert tx["url"] == "/items/5"


def test_the_apps_exception_reaches_the_server_unchanged_and_is_on_the_transaction(tracer):  # noqa: F811
    with pytest.raises(AppFailure) as caught:
        request(make_app(), "/fail")
    assert caught.value is RAISED
    _, tx = tracer.sink.next()
    assert tx["url"] == "/fail" and tx["status"] == 500 and tx["error"]["class"].endswith("AppFailure")
