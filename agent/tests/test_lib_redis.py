"""redis-py against a throw-away redis-server: a step per command named by the command and its
key count, values only as encrypted parameters when collection is on; pipelines, async."""
import asyncio

import pytest

from servers_db import redis_server  # noqa: F401  (the throw-away Redis fixture)
from tracer_harness import body_app, call, traced, tracer  # noqa: F401  (the in-process tracer fixtures)
from whatap.hooks.redis_hook import describe

redis = pytest.importorskip("redis")


def _redis_steps(tx):
    return [s for s in tx["steps"] if s["kind"] == "sql" and s["text"].startswith("redis ")]


def test_commands_are_steps_with_name_and_key_count_and_no_values(tracer, redis_server):  # noqa: F811
    def body():
        r = redis.Redis(host=redis_server["host"], port=redis_server["port"])
        r.set("user:1:token", "s3cr3t-value")
        value = r.get("user:1:token")
        r.mset({"a": 1, "b": 2})
        both = r.mget("a", "b", "missing")
        r.delete("a", "b")
        try:
            r.incr("user:1:token")  # not an integer: the server refuses
        except redis.ResponseError:
            pass
        return b"%s %d" % (value, len([v for v in both if v]))

    assert call(body_app(body), "/redis")[1] == b"s3cr3t-value 2"
    _, tx = tracer.sink.next()
    dbc = [s for s in tx["steps"] if s["kind"] == "dbc"]
    assert [s["text"] for s in dbc] == ["redis 127.0.0.1:%d/0" % redis_server["port"]]
    steps = _redis_steps(tx)
    assert [s["text"] for s in steps] == ["redis SET 1 key", "redis GET 1 key", "redis MSET 2 keys",
                                          "redis MGET 3 keys", "redis DEL 2 keys",
                                          "redis INCRBY 1 key"]  # what incr() sends
    assert all("p" not in s and "fetch" not in s for s in steps)
    assert "not an integer" in steps[-1]["error"]
    assert "s3cr3t" not in str(tx)  # no value anywhere in what is sent
    assert tx["sqlCount"] == len(steps)


def test_values_are_parameters_when_collection_is_on_and_pipelines_are_one_step(tracer, redis_server):  # noqa: F811
    tracer.configure(profile_sql_param_enabled="true")

    def body():
        r = redis.Redis(host=redis_server["host"], port=redis_server["port"])
        r.hset("cart:7", "sku", "A-1")
        with r.pipeline() as pipe:
            pipe.set("p1", "x").incr("counter").expire("p1", 60)
            results = pipe.execute()
        return b"%d" % len(results)

    assert call(body_app(body), "/redis-params")[1] == b"3"
    _, tx = tracer.sink.next()
    steps = _redis_steps(tx)
    assert steps[0]["text"] == "redis HSET 1 key" and steps[0]["p"] == ["HSET", "cart:7", "sku", "A-1"]
    assert steps[1]["text"] == "redis PIPELINE 3 commands: SET 1 key, INCRBY 1 key, EXPIRE 1 key"
    assert steps[1]["p"] == ["SET", "p1", "x", "INCRBY", "counter", 1, "EXPIRE", "p1", 60]


def test_async_client_steps_land_in_the_request_transaction(tracer, redis_server):  # noqa: F811
    from redis import asyncio as aioredis

    async def work():
        r = aioredis.Redis(host=redis_server["host"], port=redis_server["port"])
        try:
            await r.set("async:k", "v")
            got = await asyncio.gather(r.get("async:k"), r.exists("async:k", "nope"))
        finally:
            await r.close()
        return got

    got = []
    call(body_app(lambda: got.extend(asyncio.run(work())) or b"ok"), "/redis-async")
    assert got == [b"v", 1]
    _, tx = tracer.sink.next()
    assert tx["url"] == "/redis-async"
    assert sorted(s["text"] for s in _redis_steps(tx)) == ["redis EXISTS 2 keys", "redis GET 1 key",
                                                           "redis SET 1 key"]
    assert any(s["kind"] == "dbc" and s["text"].startswith("redis 127.0.0.1:") for s in tx["steps"])


@pytest.mark.parametrize("args, text", [
    (("PING",), "PING"), (("GET", "k"), "GET 1 key"), (("MSET", "a", 1, "b", 2), "MSET 2 keys"),
    (("BLPOP", "q1", "q2", 5), "BLPOP 2 keys"), (("EVALSHA", "abc", 2, "k1", "k2", "arg"), "EVALSHA 2 keys"),
    ((b"hgetall", b"h"), "HGETALL 1 key"), (("CONFIG", "GET", "maxmemory"), "CONFIG GET"),
    (("DEL", "a", "b", "c"), "DEL 3 keys"),
])
def test_step_text_names_the_command_and_counts_keys(args, text):
    assert describe(args) == text
