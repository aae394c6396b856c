"""The tracer inside one process, against a real UDP socket standing in for the agent."""
import json
import os
import time
import urllib.request

import pytest

from tracer_harness import call, traced, tracer  # noqa: F401  (fixtures)
from whatap import udp_wire


def test_plain_wsgi_streaming_is_timed_until_close(tracer):
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])

        def body():
            yield b"a"
            time.sleep(0.15)
            yield b"b"
        return body()

    status, body = call(app, "/orders/7", query="secret=1")
    assert (status, body) == ("200 OK", b"ab")
    pid, tx = tracer.sink.next()
    assert pid == os.getpid()
    assert tx["url"] == "/orders/7" and "secret" not in json.dumps(tx)
    assert tx["method"] == "GET" and tx["status"] == 200
    assert tx["clientIp"] == "10.1.2.3" and tx["userAgent"] == "pytest-agent"
    assert tx["elapsed"] >= 150 and tx["end"] - tx["start"] == pytest.approx(tx["elapsed"], abs=0.01)
    assert tx["error"] is None and "p" not in tx
    assert len(tx["txid"]) == 16


def test_errors_keep_class_message_and_stack_without_agent_frames(tracer):
    import whatap

    class PaymentDeclined(Exception):
        pass

    @whatap.register_app
    def app(environ, start_response):
        raise PaymentDeclined("card 4111 declined")

    with pytest.raises(PaymentDeclined):  # the app's exception reaches the server unchanged
        call(app, "/pay")
    _, tx = tracer.sink.next()
    assert tx["status"] == 500
    assert tx["error"]["class"].endswith("PaymentDeclined")
    assert tx["error"]["message"] == "card 4111 declined"
    stack = tx["error"]["stack"]
    assert "test_tracer.py" in stack and "raise PaymentDeclined" in stack
    assert "/whatap/" not in stack
    assert [s["kind"] for s in tx["steps"]] == ["error"]


def test_sql_steps_are_normalized_with_fetch_counts_and_params_only_when_enabled(tracer):
    import sqlite3
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE t (id INTEGER, name TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(1, "a"), (2, "b"), (3, "c")])
        cur = conn.cursor()
        cur.execute("SELECT * FROM t WHERE id > ? AND name <> 'zz'", (1,))
        rows = list(cur)
        cur.execute("SELECT * FROM t WHERE id = 1")
        cur.fetchone()
        try:
            conn.execute("SELECT * FROM missing_table")
        except sqlite3.OperationalError:
            pass
        conn.close()
        start_response("200 OK", [])
        return [b"%d" % len(rows)]

    assert call(app, "/sql")[1] == b"2"
    _, tx = tracer.sink.next()
    sql = [s for s in tx["steps"] if s["kind"] == "sql"]
    assert [s["text"] for s in sql] == [
        "CREATE TABLE t (id INTEGER, name TEXT)", "INSERT INTO t VALUES (?, ?)",
        "SELECT * FROM t WHERE id > ? AND name <> ?", "SELECT * FROM t WHERE id = ?", "SELECT * FROM missing_table"]
    assert sql[2]["fetch"] == 2 and sql[3]["fetch"] == 1
    assert "no such table" in sql[4]["error"]
    assert tx["sqlCount"] == 5 and tx["sqlTime"] > 0
    assert [s["kind"] for s in tx["steps"]][0] == "dbc"
    assert not any("p" in s for s in sql)

    tracer.configure(profile_sql_param_enabled="true")
    call(app, "/sql")
    _, tx = tracer.sink.next()
    sql = [s for s in tx["steps"] if s["kind"] == "sql"]
    assert sql[1]["p"] == [1, "a"]          # executemany: the first row
    assert sql[2]["p"] == [1, "zz"]         # in the order of the ? of the normalized text
    assert sql[3]["p"] == [1]                # a number in the text stays a number


def test_sql_values_follow_placeholder_order_when_a_literal_comes_first():
    from whatap.hooks.sqlnorm import normalize

    text, slots = normalize("SELECT * FROM t WHERE kind = 'book' AND id = ? AND n > 10 AND name = %(who)s")
    assert text == "SELECT * FROM t WHERE kind = ? AND id = ? AND n > ? AND name = ?"
    assert slots == (("l", "book"), ("b", 0), ("l", 10), ("b", "who"))


def test_number_literals_are_numbers_unless_javascript_would_change_them():
    from whatap.hooks.sqlnorm import normalize

    text, slots = normalize("SELECT a FROM t WHERE x > -2.5 AND y = 1e3 AND id = 9007199254740993 "
                            "AND z < 1e999 AND s = '7' LIMIT 20")
    assert text == "SELECT a FROM t WHERE x > ? AND y = ? AND id = ? AND z < ? AND s = ? LIMIT ?"
    assert [v for _, v in slots] == [-2.5, 1000.0, "9007199254740993", "1e999", "7", 20]


def test_outbound_http_steps_have_url_without_query_and_status(tracer, backend):
    import whatap
    import requests

    @whatap.register_app
    def app(environ, start_response):
        with urllib.request.urlopen(backend + "/backend?token=secret") as r:
            r.read()
        requests.get(backend + "/nothing-here", timeout=5)
        start_response("200 OK", [])
        return [b"ok"]

    call(app, "/calls")
    _, tx = tracer.sink.next()
    calls = [s for s in tx["steps"] if s["kind"] == "httpc"]
    assert [(s["text"], s["status"]) for s in calls] == [(backend + "/backend", 200), (backend + "/nothing-here", 404)]
    assert tx["httpcCount"] == 2 and tx["httpcTime"] >= calls[0]["elapsed"]
    assert "secret" not in json.dumps(tx)


def test_step_cap_adds_a_truncated_marker(tracer):
    import sqlite3
    import whatap
    tracer.configure(profile_step_max_count=10)

    @whatap.register_app
    def app(environ, start_response):
        conn = sqlite3.connect(":memory:")
        for i in range(30):
            conn.execute("SELECT ?", (i,)).fetchone()
        start_response("200 OK", [])
        return [b"ok"]

    call(app, "/many")
    _, tx = tracer.sink.next()
    assert len(tx["steps"]) == 11
    assert tx["steps"][-1]["kind"] == "truncated"
    assert tx["steps"][-1]["text"].startswith("21 more steps not recorded")
    assert tx["sqlCount"] == 30  # counts stay exact


def test_a_large_transaction_is_split_into_datagrams_and_joined(tracer):
    import sqlite3
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        conn = sqlite3.connect(":memory:")
        for i in range(20):
            conn.execute("SELECT %d /* %s */" % (i, "x" * 15000))
        start_response("200 OK", [])
        return [b"ok"]

    before = tracer.sink.datagrams
    call(app, "/big")
    _, tx = tracer.sink.next()
    assert tracer.sink.datagrams - before >= 5
    assert len([s for s in tx["steps"] if s["kind"] == "sql"]) == 20


def test_plugin_methods_become_nested_method_steps(tracer):
    import whatap
    from whatap.hooks import plugin
    import shop_logic
    plugin.install(["shop_logic:Pricing.total", "shop_logic:helper", "shop_logic:Nope.x", "bad pattern"],
                   tracer.log)

    @whatap.register_app
    def app(environ, start_response):
        start_response("200 OK", [])
        whatap.message("cache miss")
        return [str(shop_logic.Pricing.total(1)).encode()]

    assert call(app, "/plugin")[1] == b"4"
    _, tx = tracer.sink.next()
    methods = [(s["text"], s["depth"]) for s in tx["steps"] if s["kind"] == "method"]
    assert methods == [("shop_logic:Pricing.total", 0), ("shop_logic:helper", 1)]
    assert tx["steps"][0]["kind"] == "message" and tx["steps"][0]["text"] == "cache miss"
    with open(os.path.join(tracer.home.logs, "whatap-hook.log")) as f:
        hook = f.read()
    assert "method shop_logic:Nope.x not traced" in hook
    assert "'bad pattern' ignored" in hook


def test_ignored_prefixes_and_static_files_are_not_traced(tracer):
    import whatap
    tracer.configure(trace_ignore_url_prefix="/health,/metrics")

    @whatap.register_app
    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"ok"]

    for path in ("/health/live", "/static/app.js", "/logo.PNG", "/metrics"):
        call(app, path)
    call(app, "/real")
    _, tx = tracer.sink.next()
    assert tx["url"] == "/real"


def test_http_parameters_only_when_enabled_including_parsed_forms(tracer):
    import flask_app
    tracer.configure(profile_http_parameter_enabled="true")
    status, _ = call(flask_app.app, "/form", query="q=shoes&page=2", method="POST", body=b"card=4111&card=4222",
                     content_type="application/x-www-form-urlencoded")
    assert status == "200 OK"
    _, tx = tracer.sink.next()
    assert tx["p"] == {"q": ["shoes"], "page": ["2"], "card": ["4111", "4222"]}
    tracer.configure()
    call(flask_app.app, "/form", query="q=shoes", method="POST", body=b"card=1",
         content_type="application/x-www-form-urlencoded")
    _, tx = tracer.sink.next()
    assert "p" not in tx


def test_flask_errors_are_captured_even_when_flask_handles_them(tracer):
    import flask_app
    status, _ = call(flask_app.app, "/boom")
    assert status.startswith("500")
    _, tx = tracer.sink.next()
    assert tx["url"] == "/boom" and tx["status"] == 500
    assert tx["error"]["class"] == "ValueError" and tx["error"]["message"] == "bad id 42"


def test_profile_basetime_keeps_the_first_fast_one_per_url_and_counters_count_all(tracer):
    import whatap
    tracer.configure(profile_basetime=1000)

    @whatap.register_app
    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"ok"]

    for _ in range(3):
        call(app, "/fast")
    call(app, "/other")
    assert tracer.sink.next()[1]["url"] == "/fast"
    assert tracer.sink.next()[1]["url"] == "/other"
    tracer.tick(time.time())
    counter = tracer.sink.next(udp_wire.KIND_COUNTER)[1]
    assert counter["txCount"] >= 4


def test_counters_report_active_bands_and_rates(tracer):
    import threading
    import whatap
    release = threading.Event()

    @whatap.register_app
    def app(environ, start_response):
        release.wait(5)
        start_response("200 OK", [])
        return [b"ok"]

    tracer.tick(time.time())  # start a fresh window
    tracer.sink.next(udp_wire.KIND_COUNTER)
    worker = threading.Thread(target=call, args=(app, "/slow"))
    worker.start()
    time.sleep(0.2)
    boundary = (int(time.time()) // 5) * 5.0
    tracer.tick(boundary)
    _, counter = tracer.sink.next(udp_wire.KIND_COUNTER)
    release.set()
    worker.join()
    assert counter["activeBands"] == [1, 0, 0]
    assert counter["pid"] == os.getpid() and counter["mem"] > 0
    assert set(counter) >= {"time", "tps", "txCount", "txError", "respTime", "cpu", "apdex", "sqlCount",
                            "sqlTime", "httpcCount", "httpcTime", "dropped"}
    assert counter["time"] == int(boundary * 1000) and counter["time"] % 5000 == 0


def test_a_full_queue_drops_and_counts_but_never_blocks_the_app(tracer):
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"ok"]

    sender = tracer.sender
    old = sender.max_queue
    sender.max_queue = 3
    sender.lock.acquire()  # the sender cannot drain
    try:
        started = time.perf_counter()
        for _ in range(10):
            assert call(app, "/x") == ("200 OK", b"ok")
        assert time.perf_counter() - started < 1.0
        assert sender.dropped >= 7
    finally:
        sender.lock.release()
        sender.max_queue = old


def test_a_forked_worker_gets_its_own_ids_and_sender(tracer):
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"ok"]

    call(app, "/parent")
    _, parent_tx = tracer.sink.next()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            call(app, "/child")
            tracer.sender.drain()
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    pid, child_tx = tracer.sink.next()
    assert pid == child and child_tx["url"] == "/child"
    assert child_tx["txid"][:8] != parent_tx["txid"][:8] or abs(int(child_tx["txid"], 16) - int(parent_tx["txid"], 16)) > 1000
