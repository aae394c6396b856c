"""One end-to-end run with the REAL collector (collector/cli.ts): console API -> license ->
agent -> gunicorn Flask app -> transactions, steps and decryptable parameters via the API."""
import http.cookiejar
import json
import os
import re
import socket
import time
import urllib.request

import pytest

from conftest import APPS, REPO, agent_pid_of, boot_log, env_for, free_port, http_get, wait_for, wait_http, write_conf
from whatap import paramkey

SERVER_TS = os.path.join(REPO, "collector", "ingest", "server.ts")


def _ingest_is_a_stub():
    try:
        with open(SERVER_TS) as f:
            return "STUB" in f.read()
    except OSError:
        return True


pytestmark = pytest.mark.skipif(_ingest_is_a_stub(), reason="collector/ingest/server.ts is still a STUB")


class Console:
    """The console's HTTP API as a signed-in user."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if method != "GET":
            req.add_header("x-tapscope-client", "console")
        try:
            with self.opener.open(req, timeout=15) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")


def first_project(console, collector_log, name):
    """The first-run path through the console API: the admin account (with the setup token the
    collector printed in ``collector_log``), a project ``name`` in the local region and a
    license key for it; returns ``(pcode, key)``."""
    with open(str(collector_log), errors="replace") as f:
        token = re.search(r"setup token: (\S+)", f.read()).group(1)
    status, body = console.call("POST", "/api/v1/setup", {"username": "admin", "password": "correct horse battery",
                                                          "token": token})
    assert status in (200, 201), body
    status, body = console.call("POST", "/api/v1/projects", {"name": name, "region": "local"})
    assert status in (200, 201), body
    pcode = body["project"]["pcode"]
    status, body = console.call("POST", "/api/v1/projects/%s/licenses" % pcode, {})
    assert status in (200, 201), body
    return pcode, body["key"]


def start_collector(procs, tmp_path):
    """The real collector (embedded SQLite) on free ports: ``(api base, ingest port, data dir, process)``."""
    log = str(tmp_path / "collector.log")
    data = str(tmp_path / "data")
    proc = procs.start(["npx", "tsx", "collector/cli.ts", "--http-port", "0", "--ingest-port", "0",
                        "--data-dir", data], cwd=REPO, log_path=log)

    def ports():
        with open(log, errors="replace") as f:
            text = f.read()
        http_m = re.search(r"tapscope: http listening on (http://127\.0\.0\.1:\d+)", text)
        ingest_m = re.search(r"tapscope: ingest listening on 127\.0\.0\.1:(\d+)", text)
        if proc.poll() is not None:
            raise AssertionError("the collector exited: " + text[-3000:])
        return (http_m.group(1), int(ingest_m.group(1))) if http_m and ingest_m else None
    base, ingest = wait_for(ports, timeout=90, what="the collector to listen")
    return base, ingest, data, proc


@pytest.fixture
def real_collector(procs, tmp_path):
    return start_collector(procs, tmp_path)[:2]


def test_agent_to_real_collector_to_console_api(venv, real_collector, procs, tmp_path, backend):
    base, ingest_port = real_collector
    console = Console(base)
    pcode, key = first_project(console, tmp_path / "collector.log", "Shop")

    home = str(tmp_path / "whatap")
    write_conf(home, license=key, whatap__server__host="127.0.0.1", whatap__server__port=ingest_port,
               app_name="shop", app_process_name="gunicorn", net_udp_port=free_port(socket.SOCK_DGRAM),
               profile_http_parameter_enabled="true", profile_sql_param_enabled="true")
    procs.homes.append(home)
    port = free_port()
    app = procs.start([os.path.join(venv, "bin", "whatap-start-agent"), "gunicorn", "-w", "2", "-b",
                       "127.0.0.1:%d" % port, "flask_app:app"],
                      env=env_for(venv, home, TEST_DB=str(tmp_path / "app.sqlite3"), TEST_BACKEND_URL=backend),
                      cwd=APPS, log_path=str(tmp_path / "app.log"))
    app_url = "http://127.0.0.1:%d" % port
    wait_http(app_url + "/hello", app)
    assert http_get(app_url + "/hello?q=shoes&page=2")[0] == 200
    assert http_get(app_url + "/boom")[0] == 500

    def transactions():
        status, body = console.call("GET", "/api/v1/projects/%s/transactions?from=0&to=%d"
                                    % (pcode, int(time.time() * 1000) + 60000))
        assert status == 200, body
        urls = [t["url"] for t in body["transactions"]]
        return body["transactions"] if urls.count("/hello") >= 2 and "/boom" in urls else None
    txs = wait_for(transactions, timeout=30, what="transactions in the console API")

    status, body = console.call("GET", "/api/v1/projects/%s/agents" % pcode)
    assert status == 200
    agents = body["agents"]
    assert [a["objectName"] for a in agents] == ["shop-0-1-gunicorn"]
    assert agents[0]["pid"] == agent_pid_of(home) and agents[0]["status"] == "active"

    boom = next(t for t in txs if t["url"] == "/boom")
    assert boom["status"] == 500 and "ValueError" in (boom["error"] or "")
    with_query = [t for t in txs if t["url"] == "/hello"]
    profiles = [console.call("GET", "/api/v1/projects/%s/transactions/%s" % (pcode, t["txid"]))[1]
                for t in with_query]
    with open(os.path.join(home, "paramkey.txt")) as f:
        secret = f.read().strip()
    opened = [paramkey.open_envelope(secret, p["transaction"]["params"]) for p in profiles
              if p["transaction"]["params"]]
    assert {"q": ["shoes"], "page": ["2"]} in opened
    steps = profiles[0]["steps"]
    sql = [s for s in steps if s["kind"] == "sql"]
    assert sql[1]["text"] == "INSERT INTO items (name, price) VALUES (?, ?)"
    assert paramkey.open_envelope(secret, sql[1]["params"]) == ["shoes", 42.5]
    assert [(s["text"], s["status"]) for s in steps if s["kind"] == "httpc"] == [(backend + "/backend", 200)]
    assert profiles[0]["transaction"]["sqlCount"] == 3

    # A wrong license: the collector's REFUSE message lands in the boot log, in plain words.
    bad = str(tmp_path / "bad")
    write_conf(bad, license="tsl_%s_NOTAREALKEY" % pcode, whatap__server__host="127.0.0.1",
               whatap__server__port=ingest_port, net_udp_port=free_port(socket.SOCK_DGRAM))
    procs.homes.append(bad)
    procs.start([os.path.join(venv, "bin", "whatap-start-agent"), "true"], env=env_for(venv, bad)).wait(60)
    line = wait_for(lambda: re.search(r"refused this agent: (.+) \((license_\w+)\)", boot_log(bad)),
                    what="the REFUSE line")
    assert line.group(2) == "license_malformed" and len(line.group(1)) > 10
