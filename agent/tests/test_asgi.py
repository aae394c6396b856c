"""FastAPI and Starlette under real ASGI servers (uvicorn with 2 workers, gunicorn with
UvicornWorker), started the way the manual says: whatap-start-agent <command>."""
import asyncio
import os

import pytest

from conftest import APPS, env_for, free_port, http_get, wait_http
from test_servers import by_url, start_agent_cmd

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")


def serve_asgi(procs, venv, home, tmp_path, server):
    port = free_port()
    if server == "uvicorn":
        command = ["uvicorn", "--workers", "2", "--host", "127.0.0.1", "--port", str(port), "asgi_app:app"]
    else:
        command = ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "-w", "2", "-b", "127.0.0.1:%d" % port,
                   "asgi_app:app"]
    proc = procs.start(start_agent_cmd(venv, *command), env=env_for(venv, home), cwd=APPS,
                       log_path=str(tmp_path / (server + ".log")))
    base = "http://127.0.0.1:%d" % port
    wait_http(base + "/hello", proc, timeout=40)
    return proc, base


async def _burst(urls, limit=200):
    """GETs every URL at once (up to ``limit`` connections): (status, text) in order."""
    limits = httpx.Limits(max_connections=limit, max_keepalive_connections=limit)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        responses = await asyncio.gather(*(client.get(u) for u in urls))
    return [(r.status_code, r.text) for r in responses]


def burst(urls, limit=200):
    return asyncio.run(_burst(urls, limit))


def sql_texts(tx):
    return [s["text"] for s in tx["steps"] if s["kind"] == "sql"]


@pytest.mark.parametrize("server", ["uvicorn", "gunicorn"])
def test_two_hundred_concurrent_requests_each_keep_exactly_their_own_steps(
        venv, make_home, collector, procs, tmp_path, server):
    home = make_home(collector.port, app_process_name=server)
    proc, base = serve_asgi(procs, venv, home, tmp_path, server)
    ids = list(range(1000, 1200))
    results = burst([base + "/items/%d" % i for i in ids])
    assert [s for s, _ in results] == [200] * 200
    worker_pids = {int(body.split("pid=")[1]) for _, body in results}
    collector.wait(lambda c: len(by_url(c, "/items/{item_id}")) == 200, timeout=40, what="200 transactions")
    seen = []
    for tx in by_url(collector, "/items/{item_id}"):
        texts = sql_texts(tx)
        assert len(texts) == 2, texts
        request_id = int(texts[0].split("req_")[1].split("_")[0])
        assert texts == ["SELECT ? AS req_%d_a" % request_id, "SELECT ? AS req_%d_b" % request_id]
        assert [s["kind"] for s in tx["steps"]] == ["dbc", "sql", "sql"]
        assert tx["status"] == 200 and tx["method"] == "GET" and tx["sqlCount"] == 2
        assert tx["elapsed"] >= 50  # includes its own await
        seen.append(request_id)
    assert sorted(seen) == ids
    # Counters: every transaction counted once, by the workers that served them, nothing left active.
    hello_count = len(by_url(collector, "/hello"))
    collector.wait(lambda c: sum(x["txCount"] for x in c.counters) == 200 + hello_count
                   and all(x["activeBands"] == [0, 0, 0] for x in c.counters[-4:]), timeout=30,
                   what="counters for every request and no active transaction left")
    assert len(worker_pids) == 2  # both workers served, each from its own loop
    assert proc.pid not in {x["pid"] for x in collector.counters}  # the master serves nothing


def test_cpu_is_each_request_s_own_task_s_on_a_shared_loop(venv, make_home, collector, procs, tmp_path):
    """Thirty requests burning CPU and awaiting on one event loop: each one's CPU is its own
    task's, not the loop's."""
    home = make_home(collector.port, app_process_name="uvicorn")
    base = serve_one_worker(procs, venv, home, tmp_path)
    results = burst([base + "/cpu/40"] * 30)
    assert [s for s, _ in results] == [200] * 30
    collector.wait(lambda c: len(by_url(c, "/cpu/{ms}")) == 30, timeout=30, what="the CPU transactions")
    for tx in by_url(collector, "/cpu/{ms}"):
        # 40 ms of its own CPU plus framework work; thread time across its awaits would add the
        # other 29 requests' 40 ms burns that ran while it slept.
        assert 35 <= tx["cpu"] < 200, tx["cpu"]
        assert tx["elapsed"] >= 300


def test_active_bands_count_the_requests_in_flight_on_one_loop(venv, make_home, collector, procs, tmp_path):
    home = make_home(collector.port, app_process_name="uvicorn", trace_active_transaction_slow_time=1000)
    base = serve_one_worker(procs, venv, home, tmp_path)
    results = burst([base + "/wait/6"] * 30)
    assert [s for s, _ in results] == [200] * 30
    collector.wait(lambda c: len(by_url(c, "/wait/{seconds}")) == 30, timeout=30, what="the waiting transactions")
    # A 5-second counter taken while they waited saw all 30 active, past the 1 s "slow" band.
    assert max(sum(x["activeBands"]) for x in collector.counters) == 30
    assert any(x["activeBands"][1] == 30 for x in collector.counters)
    collector.wait(lambda c: c.counters[-1]["activeBands"] == [0, 0, 0]
                   and sum(x["txCount"] for x in c.counters) == 31, timeout=30, what="none active after")


def serve_one_worker(procs, venv, home, tmp_path):
    port = free_port()
    command = ["uvicorn", "--host", "127.0.0.1", "--port", str(port), "asgi_app:app"]
    proc = procs.start(start_agent_cmd(venv, *command), env=env_for(venv, home), cwd=APPS,
                       log_path=str(tmp_path / "one.log"))
    base = "http://127.0.0.1:%d" % port
    wait_http(base + "/hello", proc, timeout=40)
    return base


def test_streaming_errors_background_tasks_and_mounted_starlette(venv, make_home, collector, procs, tmp_path):
    home = make_home(collector.port, app_process_name="uvicorn")
    proc, base = serve_asgi(procs, venv, home, tmp_path, "uvicorn")
    status, body = http_get(base + "/stream")
    assert status == 200 and body == "chunk 0\nchunk 1\nchunk 2\n"
    assert http_get(base + "/boom")[0] == 500
    assert http_get(base + "/later/t42") == (200, "queued")
    assert http_get(base + "/star/users/7") == (200, "user 7")
    assert http_get(base + "/nowhere/1")[0] == 404
    collector.wait(lambda c: by_url(c, "/stream") and by_url(c, "/boom") and by_url(c, "/later/{tag}")
                   and by_url(c, "/later/{tag} (background)") and by_url(c, "/star/users/{uid}")
                   and by_url(c, "/nowhere/1"), timeout=30, what="the transactions")
    stream = by_url(collector, "/stream")[0]
    assert stream["elapsed"] >= 300 and stream["status"] == 200  # timed until the last chunk
    boom = by_url(collector, "/boom")[0]
    assert boom["status"] == 500 and boom["error"]["class"] == "ValueError"
    later = by_url(collector, "/later/{tag}")[0]
    assert later["status"] == 200 and sql_texts(later) == []
    background = by_url(collector, "/later/{tag} (background)")[0]
    assert sql_texts(background) == ["SELECT ? AS background_t42"]
    assert background["txid"] != later["txid"] and background["start"] >= later["end"] - 1
    assert by_url(collector, "/star/users/{uid}")[0]["status"] == 200
    assert by_url(collector, "/nowhere/1")[0]["status"] == 404
    # websocket and lifespan scopes are not transactions: only the requests above arrived
    urls = {t["url"] for t in collector.txs.values()}
    assert urls == {"/hello", "/stream", "/boom", "/later/{tag}", "/later/{tag} (background)",
                    "/star/users/{uid}", "/nowhere/1"}


def test_a_plain_asgi_app_under_uvicorn_is_traced_once_with_frameworks_inside_named_by_route(
        venv, make_home, collector, procs, tmp_path):
    home = make_home(collector.port, app_process_name="uvicorn")
    port = free_port()
    proc = procs.start(start_agent_cmd(venv, "uvicorn", "--host", "127.0.0.1", "--port", str(port), "raw_asgi:app"),
                       env=env_for(venv, home), cwd=APPS, log_path=str(tmp_path / "raw.log"))
    base = "http://127.0.0.1:%d" % port
    assert wait_http(base + "/hello", proc, timeout=40) == (200, "raw /hello")
    assert http_get(base + "/a/b") == (200, "raw /a/b")
    collector.wait(lambda c: by_url(c, "/a/b"), what="the plain ASGI transaction")
    assert sorted(t["url"] for t in collector.txs.values()) == ["/a/b", "/hello"]
    assert collector.tx_receipts == 2  # one transaction a request


def websocket_echo(port, text):
    """A websocket round trip with wsproto (what uvicorn serves websockets with here)."""
    import socket
    from wsproto import ConnectionType, WSConnection
    from wsproto.events import AcceptConnection, CloseConnection, Message, Request, TextMessage
    ws = WSConnection(ConnectionType.CLIENT)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(ws.send(Request(host="127.0.0.1", target="/ws")))
        got = []
        while True:
            ws.receive_data(sock.recv(65536) or None)
            for event in ws.events():
                if isinstance(event, AcceptConnection):
                    sock.sendall(ws.send(TextMessage(data=text)))
                elif isinstance(event, Message):
                    got.append(event.data)
                elif isinstance(event, CloseConnection):
                    sock.sendall(ws.send(event.response()))
                    return "".join(got)


def test_websockets_are_not_transactions_and_a_client_leaving_ends_its_request(
        venv, make_home, collector, procs, tmp_path):
    pytest.importorskip("wsproto")
    import socket
    home = make_home(collector.port, app_process_name="uvicorn")
    port = free_port()
    command = ["uvicorn", "--ws", "wsproto", "--host", "127.0.0.1", "--port", str(port), "asgi_app:app"]
    proc = procs.start(start_agent_cmd(venv, *command), env=env_for(venv, home), cwd=APPS,
                       log_path=str(tmp_path / "ws.log"))
    wait_http("http://127.0.0.1:%d/hello" % port, proc, timeout=40)
    assert websocket_echo(port, "hi") == "echo hi"

    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:  # leaves after the first chunk
        sock.sendall(b"GET /slowstream HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while b"chunk 0" not in received:
            received += sock.recv(65536)
    collector.wait(lambda c: by_url(c, "/slowstream"), timeout=30, what="the abandoned stream")
    assert http_get("http://127.0.0.1:%d/hello" % port)[0] == 200
    collector.wait(lambda c: len(by_url(c, "/hello")) == 2, what="the last request")
    stream = by_url(collector, "/slowstream")[0]
    assert [s["text"] for s in stream["steps"] if s["kind"] == "message"] == [
        "the client disconnected before the response was complete"]
    assert stream["elapsed"] < 9000 and stream["status"] == 200  # not the 10 s the full stream takes
    assert sorted(t["url"] for t in collector.txs.values()) == ["/hello", "/hello", "/slowstream"]


REGISTER_ASGI = r"""
import asyncio, json, os, socket, sys
run = os.path.join(os.environ["WHATAP_HOME"], "run")
os.mkdir(run, 0o700)
sink = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)  # stands in for the agent process
sink.bind(os.path.join(run, "agent.sock"))
sink.listen(1)
sink.settimeout(5)
import whatap

@whatap.register_app
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        return
    await send({"type": "http.response.start", "status": 201, "headers": []})
    await send({"type": "http.response.body", "body": b"a", "more_body": True})
    await send({"type": "http.response.body", "body": b"b"})

sent = []
async def send(message):
    sent.append(message)
async def receive():
    return {"type": "http.request", "body": b""}
asyncio.run(app({"type": "lifespan"}, receive, send))
asyncio.run(app({"type": "http", "method": "POST", "path": "/raw", "headers": [(b"user-agent", b"t")],
                 "client": ("10.0.0.9", 1), "query_string": b""}, receive, send))
conn, _ = sink.accept()
conn.settimeout(5)
from whatap import udp_wire
tx = udp_wire.tx_from_row(json.loads(conn.recv(65536)[17:])[0])  # the tracer sends rows
print(json.dumps([tx["url"], tx["status"], tx["method"], tx["clientIp"], tx["userAgent"], len(sent)]))
"""


def test_register_app_wraps_a_plain_asgi_app(venv, make_home, tmp_path):
    import json
    import subprocess
    home = make_home(agent_autostart="false")
    r = subprocess.run([os.path.join(venv, "bin", "python"), "-c", REGISTER_ASGI], env=env_for(venv, home),
                       cwd="/", capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == ["/raw", 201, "POST", "10.0.0.9", "t", 3]
