"""Concurrent transactions on one event loop never share steps: 20 tasks, each its own
transaction (as an ASGI server runs requests), interleave awaits on psycopg 3, redis.asyncio,
httpx and aiohttp; every transaction gets exactly its own steps, told apart by its values."""
import asyncio

import pytest

from servers_db import postgres, redis_server  # noqa: F401  (throw-away servers)
from tracer_harness import traced, tracer  # noqa: F401  (the in-process tracer fixtures)
from whatap.tracer import context

psycopg = pytest.importorskip("psycopg")
httpx = pytest.importorskip("httpx")
aiohttp = pytest.importorskip("aiohttp")
aioredis = pytest.importorskip("redis.asyncio")

TASKS = 20


def test_steps_of_concurrent_transactions_never_mix(tracer, postgres, redis_server, backend):  # noqa: F811
    tracer.configure(profile_sql_param_enabled="true")
    conninfo = "host=%(host)s port=%(port)d user=%(user)s dbname=%(dbname)s" % postgres

    async def request(n, r, http, session):
        tx = tracer.begin("/job/%d" % n, "GET")
        token = context.set_current(tx)  # this task's own context, as each ASGI request has
        try:
            async with await psycopg.AsyncConnection.connect(conninfo) as conn:
                await asyncio.sleep(0.001 * (n % 3))
                await (await conn.execute("SELECT %s::int AS n, pg_sleep(0.01)", (n,))).fetchall()
            await r.set("job:%d" % n, n)
            await asyncio.sleep(0)
            await http.get(backend + "/backend?n=%d" % n)
            async with session.get(backend + "/backend", params={"n": str(n)}) as resp:
                await resp.read()
            await r.get("job:%d" % n)
        finally:
            tracer.finish(tx)
            context.reset_current(token)

    async def main():
        r = aioredis.Redis(host=redis_server["host"], port=redis_server["port"])
        async with httpx.AsyncClient() as http, aiohttp.ClientSession() as session:
            await asyncio.gather(*(request(n, r, http, session) for n in range(TASKS)))
        await r.close()

    asyncio.run(main())
    txs = {}
    while len(txs) < TASKS:
        _, tx = tracer.sink.next(timeout=10)
        txs[tx["url"]] = tx
    for n in range(TASKS):
        tx = txs["/job/%d" % n]
        kinds = [s["kind"] for s in tx["steps"] if s["kind"] != "dbc"]
        assert kinds == ["sql", "sql", "httpc", "httpc", "sql"], (n, kinds)
        connects = [s["text"].split()[0] for s in tx["steps"] if s["kind"] == "dbc"]
        assert connects in (["psycopg"], ["psycopg", "redis"]), connects  # the Redis pool connects when needed
        sql, set_, httpx_call, aiohttp_call, get = [s for s in tx["steps"] if s["kind"] != "dbc"]
        assert sql["p"] == [n, 0.01] and sql["fetch"] == 1        # its own bind value (then the literal), its rows
        assert set_["p"] == ["SET", "job:%d" % n, n] and get["p"] == ["GET", "job:%d" % n]
        assert httpx_call["text"] == aiohttp_call["text"] == backend + "/backend"
        assert tx["sqlCount"] == 3 and tx["httpcCount"] == 2
