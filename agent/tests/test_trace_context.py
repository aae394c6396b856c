"""Cross-service tracing (W3C Trace Context) through three real services and the REAL collector:
a request to Flask under gunicorn (calling with urllib) → Django under uWSGI (calling with httpx)
→ FastAPI under uvicorn (calling with aiohttp) → a plain HTTP server that answers the trace
context headers it received. The three transactions form one trace at the collector's traces
API, each linked to the HTTP-call step that made it; malformed and absent headers start a new
trace; ``mtrace_enabled=false`` and ``mtrace_skip_hosts`` send nothing."""
import json
import os
import re
import textwrap
import urllib.parse
import urllib.request

import pytest

from conftest import Procs, env_for, free_port, serving_get, wait_for, wait_http, write_conf
from test_real_collector import Console, first_project, start_collector
from test_servers import start_agent_cmd

pytest.importorskip("httpx")
pytest.importorskip("aiohttp")
pytest.importorskip("fastapi")

TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-01\Z")
APP_FILES = {
    "front_app.py": """
        import urllib.request
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/hello")
        def hello():
            return "front"

        @app.route("/call")
        def call():
            with urllib.request.urlopen(request.args["to"], timeout=30) as r:
                return r.read(), r.status, {"Content-Type": "application/json"}
    """,
    "midsite/__init__.py": "",
    "midsite/settings.py": """
        SECRET_KEY = "test-only-not-secret"
        DEBUG = False
        ALLOWED_HOSTS = ["*"]
        ROOT_URLCONF = "midsite.urls"
        INSTALLED_APPS = []
        MIDDLEWARE = []
        DATABASES = {}
    """,
    "midsite/urls.py": """
        import httpx
        from django.http import HttpResponse
        from django.urls import path

        def hello(request):
            return HttpResponse("middle")

        def call(request):
            r = httpx.get(request.GET["to"], timeout=30)
            return HttpResponse(r.content, status=r.status_code, content_type="application/json")

        urlpatterns = [path("hello", hello), path("call", call)]
    """,
    "midsite/wsgi.py": """
        import os
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "midsite.settings")
        from django.core.wsgi import get_wsgi_application
        application = get_wsgi_application()
    """,
    "last_app.py": """
        import aiohttp
        from fastapi import FastAPI, Request, Response

        app = FastAPI()

        @app.get("/hello")
        async def hello():
            return "last"

        @app.get("/call")
        async def call(request: Request):
            async with aiohttp.ClientSession() as session:
                async with session.get(request.query_params["to"]) as r:
                    return Response(await r.read(), status_code=r.status, media_type="application/json")
    """,
}


@pytest.fixture
def echo():
    """A plain HTTP server (not traced) that answers the trace context headers of each request as JSON."""
    def answer(req):
        return 200, json.dumps({"traceparent": req.headers.get_all("traceparent") or [],
                                "tracestate": req.headers.get_all("tracestate") or []}).encode(), "application/json"

    with serving_get(answer) as url:
        yield int(url.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def chain(venv, tmp_path_factory):
    """The collector, two projects, and the three services, each in its own WHATAP_HOME (started
    once for the module: each test makes its own requests and looks up its own traces)."""
    procs = Procs()
    try:
        yield start_chain(venv, procs, tmp_path_factory.mktemp("chain"))
    finally:
        procs.cleanup()


def start_chain(venv, procs, tmp_path):
    base, ingest, _data, _proc = start_collector(procs, tmp_path)
    console = Console(base)
    _shop, shop_key = first_project(console, tmp_path / "collector.log", "Shop")
    status, body = console.call("POST", "/api/v1/projects", {"name": "Orders", "region": "local"})
    assert status in (200, 201), body
    status, body = console.call("POST", "/api/v1/projects/%s/licenses" % body["project"]["pcode"], {})
    assert status in (200, 201), body
    orders_key = body["key"]

    apps = tmp_path / "apps"
    for name, text in APP_FILES.items():
        (apps / name).parent.mkdir(parents=True, exist_ok=True)
        (apps / name).write_text(textwrap.dedent(text))

    def start(name, key, command_of):
        home = str(tmp_path / ("home-" + name))
        conf = dict(license=key, whatap__server__host="127.0.0.1", whatap__server__port=ingest, app_name=name,
                    app_process_name="srv")
        write_conf(home, **conf)
        procs.homes.append(home)
        port = free_port()
        proc = procs.start(start_agent_cmd(venv, *command_of(port)), env=env_for(venv, home), cwd=str(apps),
                           log_path=str(tmp_path / (name + ".log")))
        url = "http://127.0.0.1:%d" % port
        wait_http(url + "/hello", proc, timeout=60)
        return {"url": url, "home": home, "conf": conf}

    def uwsgi(port):
        ini = tmp_path / "middle.ini"
        ini.write_text("[uwsgi]\nplugin = python3\nhttp-socket = 127.0.0.1:%d\nchdir = %s\nmodule = midsite.wsgi\n"
                       "master = true\nprocesses = 1\nenable-threads = true\ndie-on-term = true\n" % (port, apps))
        return ["uwsgi", "--ini", str(ini)]

    return {
        "console": console,
        "front": start("front", shop_key, lambda port: ["gunicorn", "-w", "1", "-b", "127.0.0.1:%d" % port,
                                                        "front_app:app"]),
        "middle": start("middle", orders_key, uwsgi),
        "last": start("last", shop_key, lambda port: ["uvicorn", "--host", "127.0.0.1", "--port", str(port),
                                                      "last_app:app"]),
    }


def call_through(first, *hops, end, headers=None):
    """GET ``first``'s /call, which calls each hop's /call in turn, the last of them ``end``; the JSON answer."""
    url = end
    for hop in reversed(hops):
        url = hop + "/call?to=" + urllib.parse.quote(url, safe="")
    request = urllib.request.Request(first + "/call?to=" + urllib.parse.quote(url, safe=""), headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as r:
        assert r.status == 200
        return json.loads(r.read())


def trace_of(console, trace_id, count):
    """The traces API's answer once it holds ``count`` transactions."""
    def ready():
        status, body = console.call("GET", "/api/v1/traces/" + trace_id)
        return body if status == 200 and len(body["nodes"]) >= count else None
    return wait_for(ready, timeout=60, what="%d transactions of trace %s at the collector" % (count, trace_id))


def test_a_request_through_three_services_is_one_trace(chain, echo):
    end = "http://127.0.0.1:%d/echo" % echo
    got = call_through(chain["front"]["url"], chain["middle"]["url"], chain["last"]["url"], end=end)
    assert got["tracestate"] == []
    [header] = got["traceparent"]
    trace_id, last_call_span = TRACEPARENT.match(header).groups()

    trace = trace_of(chain["console"], trace_id, 3)
    nodes = trace["nodes"]
    assert [(n["id"], n["parent"], n["depth"], n["hidden"], n["url"], n["projectName"]) for n in nodes] == [
        (0, None, 0, False, "/call", "Shop"),
        (1, 0, 1, False, "/call", "Orders"),
        (2, 1, 2, False, "/call", "Shop"),
    ]
    front, middle, last = nodes
    assert [n["objectName"].split("-")[0] for n in nodes] == ["front", "middle", "last"]
    assert front["parentSpanId"] is None  # no caller sent a traceparent: the front began the trace
    # Each callee's parent is the span its caller's HTTP-call step sent, and that step is named.
    for caller, callee in ((front, middle), (middle, last)):
        call = caller["calls"][callee["parentCall"]]
        assert call["spanId"] == callee["parentSpanId"] and call["status"] == 200
        assert call["url"] == callee_url(chain, callee) + "/call"
        assert callee["spanId"] not in (caller["spanId"], call["spanId"])
    # The last service's call to the untraced server carried its own step's span.
    assert [c["spanId"] for c in last["calls"]] == [last_call_span]
    assert last["calls"][0]["url"] == end


def callee_url(chain, node):
    return chain["middle" if node["projectName"] == "Orders" else "last"]["url"]


def test_an_incoming_traceparent_is_joined_and_tracestate_passed_on(chain, echo):
    end = "http://127.0.0.1:%d/echo" % echo
    trace_id, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    got = call_through(chain["front"]["url"], chain["middle"]["url"], end=end,
                       headers={"traceparent": "00-%s-%s-01" % (trace_id, parent), "tracestate": "shop=a1,rojo=00f0"})
    [header] = got["traceparent"]
    assert TRACEPARENT.match(header).group(1) == trace_id
    assert got["tracestate"] == ["shop=a1,rojo=00f0"]
    front, middle = trace_of(chain["console"], trace_id, 2)["nodes"]
    # The caller outside Tapscope is not stored: the front is a root that names it as its parent.
    assert (front["parent"], front["parentSpanId"]) == (None, parent)
    assert (middle["parent"], middle["parentSpanId"]) == (0, front["calls"][0]["spanId"])


MALFORMED = [
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     # version ff is invalid
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xyz",  # version 00 has exactly four fields
    "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",       # trace id one digit short
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",      # all-zero trace id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",      # all-zero parent id
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",      # uppercase hex
    "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",      # not hex
    "garbage",
]


def test_malformed_or_absent_headers_start_a_new_trace(chain, echo):
    end = "http://127.0.0.1:%d/echo" % echo
    seen = set()
    for bad in MALFORMED + [None]:
        headers = {"traceparent": bad, "tracestate": "shop=a1"} if bad else {}
        got = call_through(chain["front"]["url"], end=end, headers=headers)
        [header] = got["traceparent"]
        trace_id = TRACEPARENT.match(header).group(1)
        assert trace_id != "4bf92f3577b34da6a3ce929d0e0e4736" and trace_id not in seen, bad
        seen.add(trace_id)
        assert got["tracestate"] == [], bad  # a tracestate is only passed on with the trace it belongs to
    [front] = trace_of(chain["console"], trace_id, 1)["nodes"]
    assert front["parentSpanId"] is None


def test_skip_hosts_and_mtrace_disabled_send_nothing(chain, echo):
    front = chain["front"]
    port = echo

    def reconfigure(**options):
        write_conf(front["home"], **dict(front["conf"], **options))

    def headers_sent(host, **extra):
        return call_through(front["url"], end="http://%s:%d/echo" % (host, port), headers=extra)["traceparent"]

    try:
        reconfigure(mtrace_skip_hosts="localhost, example.com")
        wait_for(lambda: headers_sent("localhost") == [], timeout=60, what="mtrace_skip_hosts to be read")
        assert len(headers_sent("127.0.0.1")) == 1  # only the listed hosts are skipped

        reconfigure(mtrace_enabled="false")
        wait_for(lambda: headers_sent("127.0.0.1") == [], timeout=60, what="mtrace_enabled=false to be read")
        # Off: an incoming traceparent is not read either, and nothing is sent on.
        assert headers_sent("127.0.0.1", traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") == []
    finally:
        reconfigure()
