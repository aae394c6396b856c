"""The new library hooks never raise into the app: a failure injected into the agent's own work
in each leaves the app's call and answer as they were and is named in whatap-hook.log."""
import asyncio
import logging

import pytest

from servers_db import redis_server  # noqa: F401  (the throw-away Redis fixture)
from tracer_harness import (body_app, call, fresh_failure_log, hook_log, raise_injected,  # noqa: F401
                            traced, tracer)  # (the in-process tracer and guard fixtures)
from whatap.hooks import logging_hook, redis_hook, sqlalchemy_hook


def test_redis_command_text_failure(tracer, hook_log, monkeypatch, redis_server):  # noqa: F811
    redis = pytest.importorskip("redis")
    monkeypatch.setattr(redis_hook, "describe", raise_injected)
    r = redis.Redis(host=redis_server["host"], port=redis_server["port"])

    def body():
        r.set("guard", "v")
        return r.get("guard")

    assert call(body_app(body), "/redis-guard") == ("200 OK", b"v")
    hook_log("redis command text")


def test_httpx_url_failure(tracer, hook_log, monkeypatch, backend):  # noqa: F811
    httpx = pytest.importorskip("httpx")
    from whatap.hooks import httpx_hook
    monkeypatch.setattr(httpx_hook, "http_url", raise_injected)

    async def work():
        async with httpx.AsyncClient() as client:
            return (await client.get(backend + "/backend")).content

    assert call(body_app(lambda: asyncio.run(work())), "/httpx-guard") == ("200 OK", b"ok")
    hook_log("http call start")


def test_http_step_failure_for_aiohttp(tracer, hook_log, monkeypatch, backend):  # noqa: F811
    aiohttp = pytest.importorskip("aiohttp")
    from whatap.tracer.transaction import Transaction
    monkeypatch.setattr(Transaction, "add_httpc", raise_injected)

    async def work():
        async with aiohttp.ClientSession() as session:
            async with session.get(backend + "/backend") as r:
                return await r.read()

    assert call(body_app(lambda: asyncio.run(work())), "/aiohttp-guard") == ("200 OK", b"ok")
    hook_log("http call step")


def test_log_record_failure(tracer, hook_log, monkeypatch):  # noqa: F811
    monkeypatch.setattr(logging_hook, "add_record", raise_injected)
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())
    logger = logging.getLogger("shop.guard")
    handler = Keep()
    logger.addHandler(handler)
    try:
        assert call(body_app(lambda: logger.error("still logged") or b"ok"), "/log-guard") == ("200 OK", b"ok")
    finally:
        logger.removeHandler(handler)
    assert seen == ["still logged"]  # the app's own handlers still get the record
    hook_log("log record step")


def test_sqlalchemy_statement_failure(tracer, hook_log, monkeypatch, tmp_path):  # noqa: F811
    sqlalchemy = pytest.importorskip("sqlalchemy")
    monkeypatch.setattr(sqlalchemy_hook, "sql_started", raise_injected)
    engine = sqlalchemy.create_engine("sqlite:///%s" % (tmp_path / "guard.sqlite3"), future=True)

    def body():
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (x INT)")
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
            return b"%d" % conn.exec_driver_sql("SELECT count(*) FROM t").scalar()

    assert call(body_app(body), "/sa-guard") == ("200 OK", b"1")  # each statement ran once
    hook_log("sqlalchemy statement start")
    engine.dispose()
