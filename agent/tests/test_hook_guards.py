"""The tracer never raises into the app (issue 12, item 5): a failure injected into each hook's
own work leaves the app's answer as it was, runs the app's real call exactly once, lets the
app's own exceptions through unchanged, and is named in whatap-hook.log."""
import os
import urllib.request

import pytest

from conftest import serving_get
from test_psycopg2 import postgres  # noqa: F401  (the throw-away PostgreSQL fixture)
from tracer_harness import (AppFailure, Injected, call, fresh_failure_log, hook_log, raise_injected,  # noqa: F401
                            traced, tracer)  # (the in-process tracer and guard fixtures)
from whatap import hooks
from whatap.hooks import dbapi, httpclient
from whatap.tracer.core import Tracer
from whatap.tracer.transaction import Transaction


def _wsgi(body):
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        result = body()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [result]
    return app


# -- plain WSGI ------------------------------------------------------------------------------
def test_wsgi_start_failure(tracer, hook_log, monkeypatch):  # noqa: F811
    monkeypatch.setattr(Tracer, "start", raise_injected)
    assert call(_wsgi(lambda: b"ok"), "/w") == ("200 OK", b"ok")
    hook_log("wsgi start")


def test_wsgi_finish_failure(tracer, hook_log, monkeypatch):  # noqa: F811
    monkeypatch.setattr(Transaction, "to_row", raise_injected)
    assert call(_wsgi(lambda: b"ok"), "/w") == ("200 OK", b"ok")
    hook_log("wsgi finish")


def test_wsgi_error_capture_failure_keeps_the_apps_exception(tracer, hook_log, monkeypatch):  # noqa: F811
    import whatap
    raised = AppFailure("from the body")

    @whatap.register_app
    def app(environ, start_response):
        start_response("200 OK", [])

        def body():
            yield b"a"
            raise raised
        return body()

    monkeypatch.setattr(Transaction, "set_error", raise_injected)
    with pytest.raises(AppFailure) as caught:
        call(app, "/w")
    assert caught.value is raised
    hook_log("wsgi error capture")


# -- sqlite3 ---------------------------------------------------------------------------------
SQL_TARGETS = [("normalize", "sql normalize"), ("_params", "sql parameters"), ("add_sql", "sql step"),
               ("add_dbc", "db connect step")]


def _sqlite_app(tmp_path, params=("shoes", 42.5), sql="INSERT INTO items (name, price) VALUES (?, ?)"):
    import sqlite3
    path = str(tmp_path / "guards.sqlite3")
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE IF NOT EXISTS items (name TEXT, price REAL)")
    setup.commit()
    setup.close()

    def body():
        conn = sqlite3.connect(path)
        cur = conn.cursor()
        cur.execute(sql, params)
        conn.commit()
        cur.execute("SELECT name FROM items")
        rows = cur.fetchall()
        conn.close()
        return b"%d rows" % len(rows)
    return _wsgi(body)


@pytest.mark.parametrize("target, where", SQL_TARGETS)
def test_sqlite3_failures(tracer, hook_log, monkeypatch, tmp_path, target, where):  # noqa: F811
    tracer.configure(profile_sql_param_enabled="true")
    if target in ("add_sql", "add_dbc"):
        monkeypatch.setattr(Transaction, target, raise_injected)
    else:
        monkeypatch.setattr(dbapi, target, raise_injected)
    assert call(_sqlite_app(tmp_path), "/sqlite") == ("200 OK", b"1 rows")  # inserted exactly once
    hook_log(where)


def test_sqlite3_fetch_count_failure(tracer, hook_log, tmp_path):  # noqa: F811
    import sqlite3

    class BrokenStep(dict):
        def get(self, *args):
            raise Injected("injected failure")

    def body():
        conn = sqlite3.connect(":memory:")
        cur = conn.cursor()
        cur.execute("SELECT 1 UNION ALL SELECT 2")
        tx, _ = cur._whatap_step  # what count_fetch adds to
        cur._whatap_step = (tx, BrokenStep())
        return b"%d rows" % len(cur.fetchall())

    assert call(_wsgi(body), "/fetch") == ("200 OK", b"2 rows")
    hook_log("sql fetch count")


def test_a_parameter_mapping_whose_values_raises(tracer, hook_log, tmp_path):  # noqa: F811
    class Params(dict):
        def values(self):
            raise Injected("injected failure")

    tracer.configure(profile_sql_param_enabled="true")
    app = _sqlite_app(tmp_path, Params(name="shoes", price=1.0),
                      "INSERT INTO items (name, price) VALUES (:name, :price)")
    assert call(app, "/values") == ("200 OK", b"1 rows")
    hook_log("sql parameters")


def test_a_parameter_whose_str_and_repr_raise(tracer, tmp_path):  # noqa: F811
    import sqlite3

    class Weird:
        def __str__(self):
            raise Injected("str")

        def __repr__(self):
            raise Injected("repr")

    sqlite3.register_adapter(Weird, lambda w: "weird")
    tracer.configure(profile_sql_param_enabled="true")
    assert call(_sqlite_app(tmp_path, (Weird(), 2.0)), "/weird") == ("200 OK", b"1 rows")
    _, tx = tracer.sink.next()
    insert = [s for s in tx["steps"] if s["kind"] == "sql"][0]
    assert insert["p"] == ["<Weird>", 2.0]


def test_sqlite3_driver_error_reaches_the_app_once_when_the_step_fails(tracer, hook_log, monkeypatch):  # noqa: F811
    import sqlite3
    seen = []

    def body():
        conn = sqlite3.connect(":memory:")
        try:
            conn.execute("SELECT * FROM missing_table")
        except sqlite3.OperationalError as e:
            seen.append(e)
        return b"handled"

    monkeypatch.setattr(Transaction, "add_sql", raise_injected)
    assert call(_wsgi(body), "/missing") == ("200 OK", b"handled")
    assert len(seen) == 1 and "no such table" in str(seen[0])
    hook_log("sql step")


# -- psycopg2 --------------------------------------------------------------------------------
@pytest.mark.parametrize("target, where", SQL_TARGETS)
def test_psycopg2_failures(tracer, hook_log, monkeypatch, postgres, target, where):  # noqa: F811
    import psycopg2
    tracer.configure(profile_sql_param_enabled="true")
    setup = psycopg2.connect(**postgres)
    setup.autocommit = True
    setup.cursor().execute("DROP TABLE IF EXISTS guard_items; "
                           "CREATE TABLE guard_items (id serial PRIMARY KEY, name text NOT NULL)")
    errors = []

    def body():
        conn = psycopg2.connect(**postgres)
        conn.autocommit = True
        cur = conn.cursor()
        try:
            cur.execute("INSERT INTO guard_items (name) VALUES (%s)", (None,))
        except psycopg2.errors.NotNullViolation as e:
            errors.append(e)
        cur.execute("INSERT INTO guard_items (name) VALUES (%(name)s) RETURNING id", {"name": "shoes"})
        new_id = cur.fetchone()[0]
        conn.close()
        return b"id %d" % new_id

    if target in ("add_sql", "add_dbc"):
        monkeypatch.setattr(Transaction, target, raise_injected)
    else:
        monkeypatch.setattr(dbapi, target, raise_injected)
    # id 1 went to the refused row: each INSERT reached the server exactly once.
    assert call(_wsgi(body), "/pg") == ("200 OK", b"id 2")
    assert len(errors) == 1
    cur = setup.cursor()
    cur.execute("SELECT count(*) FROM guard_items")
    assert cur.fetchone()[0] == 1
    setup.close()
    hook_log(where)


# -- http.client -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def counting_backend():
    hits = []

    def answer(req):
        hits.append(req.path)
        return None if req.path == "/hangup" else (200, b"pong")  # no answer: getresponse() raises

    with serving_get(answer) as url:
        yield url, hits


@pytest.mark.parametrize("target, where", [("_url", "http call start"), ("add_httpc", "http call step")])
def test_http_client_failures(tracer, hook_log, monkeypatch, counting_backend, target, where):  # noqa: F811
    base, hits = counting_backend
    del hits[:]
    monkeypatch.setattr(Transaction if target == "add_httpc" else httpclient, target, raise_injected)

    def body():
        with urllib.request.urlopen(base + "/ping?x=1", timeout=10) as r:
            return r.read()

    assert call(_wsgi(body), "/calls") == ("200 OK", b"pong")
    assert hits == ["/ping?x=1"]
    hook_log(where)


def test_http_client_error_reaches_the_app_when_the_step_fails(tracer, hook_log, monkeypatch,  # noqa: F811
                                                                counting_backend):
    import http.client
    base, hits = counting_backend
    del hits[:]
    seen = []

    def body():
        try:
            urllib.request.urlopen(base + "/hangup", timeout=10)
        except http.client.RemoteDisconnected as e:  # raised by getresponse()
            seen.append(e)
        return b"handled"

    monkeypatch.setattr(Transaction, "add_httpc", raise_injected)
    assert call(_wsgi(body), "/hangup") == ("200 OK", b"handled")
    assert len(seen) == 1
    assert hits == ["/hangup"]
    hook_log("http call step")


# -- Flask -----------------------------------------------------------------------------------
def test_flask_error_capture_failure(tracer, hook_log, monkeypatch):  # noqa: F811
    import flask_app
    monkeypatch.setattr(Transaction, "set_error", raise_injected)
    status, body = call(flask_app.app, "/boom")
    assert status.startswith("500") and b"Internal Server Error" in body  # Flask's own answer
    hook_log("flask error capture")


def test_flask_form_parameters_failure(tracer, hook_log, monkeypatch):  # noqa: F811
    import flask_app
    tracer.configure(profile_http_parameter_enabled="true")
    monkeypatch.setattr(Transaction, "add_params", raise_injected)
    status, _ = call(flask_app.app, "/form", method="POST", body=b"card=4111",
                     content_type="application/x-www-form-urlencoded")
    assert status == "200 OK"
    hook_log("flask form parameters")


# -- Django ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def django_app(tmp_path_factory):
    saved = {k: os.environ.get(k) for k in ("DJANGO_SETTINGS_MODULE", "TEST_DB")}
    os.environ["DJANGO_SETTINGS_MODULE"] = "djsite.settings"
    os.environ["TEST_DB"] = str(tmp_path_factory.mktemp("django") / "db.sqlite3")
    from django.core.wsgi import get_wsgi_application
    yield get_wsgi_application()  # the settings are read here, once
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_django_error_capture_failure(tracer, hook_log, monkeypatch, django_app):  # noqa: F811
    monkeypatch.setattr(Transaction, "set_error", raise_injected)
    status, _ = call(django_app, "/boom")
    assert status.startswith("500")  # Django's own answer
    hook_log("django error capture")


def test_django_sql_step_failure(tracer, hook_log, monkeypatch, django_app):  # noqa: F811
    monkeypatch.setattr(Transaction, "add_sql", raise_injected)
    status, body = call(django_app, "/hello")
    assert status == "200 OK" and body.startswith(b"django 1 0 ")
    hook_log("sql step")


# -- plugin methods --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def guard_logic(traced):  # noqa: F811
    from whatap.hooks import plugin
    import guard_logic
    plugin.install(["guard_logic:work", "guard_logic:fail"], traced[0].log)
    return guard_logic


@pytest.mark.parametrize("target", ["open_method", "close_method"])
def test_plugin_method_failures(tracer, hook_log, monkeypatch, guard_logic, target):  # noqa: F811
    del guard_logic.calls[:]
    monkeypatch.setattr(Transaction, target, raise_injected)
    raised = []

    def body():
        try:
            guard_logic.fail(2)
        except LookupError as e:
            raised.append(str(e))
        return b"%d" % guard_logic.work(3)

    assert call(_wsgi(body), "/plugin") == ("200 OK", b"30")
    assert guard_logic.calls == [2, 3] and raised == ["no item 2"]
    hook_log("method step")


def test_failures_are_logged_once_a_minute_per_place(tracer, monkeypatch):  # noqa: F811
    lines = []
    monkeypatch.setattr(hooks, "_state", dict(hooks._state, log=type("L", (), {
        "hook": lambda self, label, message: lines.append(message)})()))
    for _ in range(5):
        try:
            raise Injected("x")
        except Injected as e:
            hooks.failed("somewhere", e)
    assert len(lines) == 1
    assert lines[0].startswith("somewhere failed: tracer_harness.Injected at test_hook_guards.py:")
