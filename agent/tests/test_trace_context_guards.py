"""Trace context with the tracer booted in pytest: what a traced WSGI request records and sends
on, a Celery task it sends joining its trace in a real worker, and that a failure of the agent's
trace context work never breaks the request: the call goes out without the headers, the
transaction is still recorded, and the hook log names the place once."""
import os
import shutil
import urllib.request

import pytest

from conftest import APPS, PYTHON, env_for, serving_get
from servers_db import redis_server  # noqa: F401  (the throw-away Redis fixture)
from tracer_harness import (Injected, body_app, call, fresh_failure_log, hook_log, raise_injected,  # noqa: F401
                            traced, tracer)  # (the in-process tracer and guard fixtures)
from whatap import hooks
from whatap.tracer import trace_context

TRACE_ID, PARENT = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"


@pytest.fixture(scope="module")
def echo():
    """A local server that keeps the trace context headers of each request."""
    seen = []

    def answer(req):
        seen.append((req.headers.get_all("traceparent") or [], req.headers.get_all("tracestate") or []))
        return 200, b"ok"

    with serving_get(answer) as url:
        yield url + "/echo", seen


def _call_out(url):
    def body():
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read()
    return body_app(body)


def _wsgi_call(app, **headers):
    """``call`` with request headers (WSGI ``HTTP_*`` keys)."""
    import io
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/out", "QUERY_STRING": "", "SCRIPT_NAME": "",
               "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO()}
    environ.update(("HTTP_" + k.upper(), v) for k, v in headers.items())
    status = []
    result = app(environ, lambda s, h, e=None: status.append(s))
    try:
        body = b"".join(result)
    finally:
        result.close()
    return status[0], body


def test_a_request_joins_its_callers_trace_and_names_the_span_of_each_call(tracer, echo):  # noqa: F811
    url, seen = echo
    del seen[:]
    assert _wsgi_call(_call_out(url), traceparent="00-%s-%s-01" % (TRACE_ID, PARENT),
                      tracestate="congo=t61rcWkgMzE") == ("200 OK", b"ok")
    _, tx = tracer.sink.next()
    assert (tx["traceId"], tx["parentSpanId"]) == (TRACE_ID, PARENT)
    [step] = [s for s in tx["steps"] if s["kind"] == "httpc"]
    assert seen == [(["00-%s-%s-01" % (TRACE_ID, step["spanId"])], ["congo=t61rcWkgMzE"])]
    assert step["spanId"] != tx["spanId"]


def test_a_request_without_a_caller_starts_a_trace(tracer, echo):  # noqa: F811
    url, seen = echo
    del seen[:]
    assert call(_call_out(url), "/out") == ("200 OK", b"ok")
    _, tx = tracer.sink.next()
    assert "parentSpanId" not in tx and len(tx["traceId"]) == 32 and len(tx["spanId"]) == 16
    [step] = [s for s in tx["steps"] if s["kind"] == "httpc"]
    assert seen == [(["00-%s-%s-01" % (tx["traceId"], step["spanId"])], [])]


def test_off_records_no_trace(tracer, echo):  # noqa: F811
    url, seen = echo
    del seen[:]
    tracer.configure(mtrace_enabled="false")
    assert _wsgi_call(_call_out(url), traceparent="00-%s-%s-01" % (TRACE_ID, PARENT)) == ("200 OK", b"ok")
    _, tx = tracer.sink.next()
    assert not {"traceId", "spanId", "parentSpanId"} & set(tx)
    assert "spanId" not in [s for s in tx["steps"] if s["kind"] == "httpc"][0]
    assert seen == [([], [])]


@pytest.mark.parametrize("target", ["traceparent", "new_span_id"])
def test_a_failing_header_leaves_the_call_without_it(tracer, hook_log, monkeypatch, echo, target):  # noqa: F811
    url, seen = echo
    del seen[:]
    monkeypatch.setattr(trace_context, target, raise_injected)
    app = _call_out(url)
    for _ in range(2):
        assert call(app, "/out") == ("200 OK", b"ok")
    assert seen == [([], [])] * 2
    _, tx = tracer.sink.next()
    assert [s["text"] for s in tx["steps"] if s["kind"] == "httpc"] == [url]
    hook_log("trace context")
    assert hooks._failures[("trace context", "Injected")][1] >= 1  # the second failure was counted, not logged again


def test_a_failing_traceparent_read_still_traces_the_request(tracer, hook_log, monkeypatch, echo):  # noqa: F811
    url, seen = echo
    monkeypatch.setattr(trace_context, "parse", raise_injected)
    assert _wsgi_call(_call_out(url), traceparent="00-%s-%s-01" % (TRACE_ID, PARENT)) == ("200 OK", b"ok")
    _, tx = tracer.sink.next()
    assert tx["url"] == "/out" and "traceId" not in tx
    hook_log("trace context")


def test_a_celery_task_sent_from_a_request_joins_its_trace(tracer, venv, make_home, collector, procs,  # noqa: F811
                                                           tmp_path, redis_server):  # noqa: F811
    celery = pytest.importorskip("celery")
    command = [shutil.which("celery") or PYTHON] + ([] if shutil.which("celery") else ["-m", "celery"])
    home = make_home(collector.port, app_process_name="celery")
    procs.start([os.path.join(venv, "bin", "whatap-start-agent")] + command +
                ["-A", "celery_tasks", "worker", "-Q", "traced", "--pool=solo", "--without-gossip", "--without-mingle",
                 "--without-heartbeat"],
                env=env_for(venv, home, CELERY_BROKER_URL=redis_server["url"],
                            TEST_DB=str(tmp_path / "orders.sqlite3")),
                cwd=APPS, log_path=str(tmp_path / "worker.log"))
    sender = celery.Celery("sender", broker=redis_server["url"])

    def body():
        sender.send_task("shop.tasks.settle_order", args=(7,), queue="traced")
        return b"sent"

    assert _wsgi_call(body_app(body), traceparent="00-%s-%s-01" % (TRACE_ID, PARENT)) == ("200 OK", b"sent")
    _, request_tx = tracer.sink.next()
    assert request_tx["traceId"] == TRACE_ID
    collector.wait(lambda c: any(t["url"] == "shop.tasks.settle_order" for t in c.txs.values()), timeout=60,
                   what="the task's transaction")
    [task] = [t for t in collector.txs.values() if t["url"] == "shop.tasks.settle_order"]
    # The task's parent is the request that sent it (no HTTP-call step stands between them).
    assert (task["traceId"], task["parentSpanId"]) == (TRACE_ID, request_tx["spanId"])
