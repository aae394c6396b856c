"""psycopg 3, sync and async, against a throw-away PostgreSQL: connect, SQL steps with the
normalized text, fetch counts, and bind values in placeholder order when collection is on."""
import asyncio

import pytest

from servers_db import postgres  # noqa: F401  (the throw-away PostgreSQL fixture)
from tracer_harness import body_app, call, traced, tracer  # noqa: F401  (the in-process tracer fixtures)

psycopg = pytest.importorskip("psycopg")


def _conninfo(pg):
    return "host=%s port=%d user=%s dbname=%s" % (pg["host"], pg["port"], pg["user"], pg["dbname"])


def _sql(tx):
    return [s for s in tx["steps"] if s["kind"] == "sql"]


def test_psycopg3_sync_connect_sql_fetch_and_binds(tracer, postgres):  # noqa: F811
    from psycopg import sql
    tracer.configure(profile_sql_param_enabled="true")

    def body():
        with psycopg.connect(_conninfo(postgres), password="not-in-the-label") as conn:
            assert isinstance(conn, psycopg.Connection)
            cur = conn.cursor()
            cur.execute("CREATE TEMP TABLE t3 (id int, name text)")
            cur.executemany("INSERT INTO t3 VALUES (%s, %s)", [(1, "a"), (2, "b"), (3, "c")])
            cur.execute("SELECT id, name FROM t3 WHERE id >= %(low)s AND name <> 'zz' ORDER BY id", {"low": 2})
            first = cur.fetchone()
            rest = cur.fetchall()
            names = [r[0] for r in conn.execute(sql.SQL("SELECT {} FROM t3 WHERE id < %s").format(
                sql.Identifier("name")), (9,))]
            with conn.cursor(name="server_side") as named:
                named.execute("SELECT id FROM t3")
                streamed = list(named)
        return ("%s %d %s %d" % (first[1], len(rest), ",".join(names), len(streamed))).encode()

    assert call(body_app(body), "/pg3")[1] == b"b 1 a,b,c 3"
    _, tx = tracer.sink.next()
    dbc = [s for s in tx["steps"] if s["kind"] == "dbc"]
    assert len(dbc) == 1 and dbc[0]["text"] == "psycopg host=127.0.0.1 port=%d dbname=postgres" % postgres["port"]
    steps = _sql(tx)
    assert [s["text"] for s in steps] == [
        "CREATE TEMP TABLE t3 (id int, name text)", "INSERT INTO t3 VALUES (?, ?)",
        "SELECT id, name FROM t3 WHERE id >= ? AND name <> ? ORDER BY id", 'SELECT "name" FROM t3 WHERE id < ?',
        "SELECT id FROM t3"]
    assert steps[1]["p"] == [1, "a"]                  # executemany: the first row stands for the batch
    assert steps[2]["p"] == [2, "zz"] and steps[2]["fetch"] == 2
    assert steps[3]["p"] == [9] and steps[3]["fetch"] == 3
    assert steps[4]["fetch"] == 3                     # a server-side cursor, iterated
    assert tx["sqlCount"] == 5


def test_psycopg3_async_steps_land_in_the_request_transaction(tracer, postgres):  # noqa: F811
    tracer.configure(profile_sql_param_enabled="true")

    async def work():
        conn = await psycopg.AsyncConnection.connect(_conninfo(postgres))
        async with conn:
            async with conn.cursor() as cur:
                await cur.execute("SELECT g FROM generate_series(1, %s) AS g WHERE g <> %s", (5, 3))
                rows = await cur.fetchall()
                await cur.execute("SELECT %s::text", ("x",))
                one = await cur.fetchone()
                await cur.execute("SELECT g FROM generate_series(1, 4) AS g")
                counted = [r async for r in cur]
            try:
                await conn.execute("SELECT * FROM no_such_table WHERE secret = 'hunter2'")
            except psycopg.errors.UndefinedTable:
                pass
        return "%d %s %d" % (len(rows), one[0], len(counted))

    assert call(body_app(lambda: asyncio.run(work()).encode()), "/pg3async")[1] == b"4 x 4"
    _, tx = tracer.sink.next()
    assert tx["url"] == "/pg3async"
    assert [s["kind"] for s in tx["steps"]][:2] == ["dbc", "sql"]
    steps = _sql(tx)
    assert [s["text"] for s in steps] == ["SELECT g FROM generate_series(?, ?) AS g WHERE g <> ?",
                                          "SELECT ?::text", "SELECT g FROM generate_series(?, ?) AS g",
                                          "SELECT * FROM no_such_table WHERE secret = ?"]
    assert steps[0]["p"] == [1, 5, 3] and steps[0]["fetch"] == 4
    assert steps[1]["p"] == ["x"] and steps[1]["fetch"] == 1
    assert steps[2]["fetch"] == 4
    assert "no_such_table" in steps[3]["error"] and "hunter2" not in steps[3]["error"]


def test_psycopg3_binds_are_not_collected_when_collection_is_off(tracer, postgres):  # noqa: F811
    def body():
        with psycopg.connect(_conninfo(postgres)) as conn:
            conn.execute("SELECT %s, 'literal'", ("secret",)).fetchall()
        return b"ok"

    call(body_app(body), "/off")
    _, tx = tracer.sink.next()
    steps = _sql(tx)
    assert steps[0]["text"] == "SELECT ?, ?" and "p" not in steps[0]


def test_psycopg3_outside_a_transaction_records_nothing(tracer, postgres):  # noqa: F811
    with psycopg.connect(_conninfo(postgres)) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    with pytest.raises(AssertionError):
        tracer.sink.next(timeout=0.5)
