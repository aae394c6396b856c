"""Median time the tracer adds per request to a Flask hello app (budget: 50 us), and to a
FastAPI hello app (ASGI, printed beside it).

Same process, same app, same run: each round times N direct calls through the framework's
original __call__ (not traced) and N through the traced one, alternating, while the tracer
ships every transaction over its default transport (the Unix socket in $WHATAP_HOME/run) to a
sink in another process, which counts the transactions it received: every traced request must
arrive (zero drops). The ASGI calls are awaited one after another on one event loop. Prints the
figures; the last lines are ``agent overhead: N us/request`` and
``agent overhead asgi: N us/request``.
"""
import asyncio
import gc
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "agent", "src"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "100"))
# Blocks small enough that the socket's buffer holds a block's transactions while the sink
# (another process, on a busy machine) is not scheduled: sending must never fail here.
CALLS = int(os.environ.get("BENCH_CALLS", "100"))
BUDGET_US = 50.0

SINK = r"""
import os, selectors, socket, sys
run = os.path.join(sys.argv[1], "run")
os.mkdir(run, 0o700)
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)  # where the agent process listens
s.bind(os.path.join(run, "agent.sock"))
s.listen(64)
print("ready", flush=True)
sel = selectors.DefaultSelector()
sel.register(s, selectors.EVENT_READ)
sel.register(sys.stdin, selectors.EVENT_READ)
txs = 0
while True:
    for key, _ in sel.select():
        if key.fileobj is s:
            sel.register(s.accept()[0], selectors.EVENT_READ)
        elif key.fileobj is sys.stdin:  # "count": how many transactions arrived so far
            if not sys.stdin.readline():
                sys.exit(0)
            print(txs, flush=True)
        else:
            data = key.fileobj.recv(65536)
            if not data:
                sel.unregister(key.fileobj)
                key.fileobj.close()
            elif data[4] == 1 and data[9:11] == b"\x00\x00":  # a transaction's first chunk
                txs += 1
"""


def main():
    home = tempfile.mkdtemp(prefix="whatap-bench-")
    sink = subprocess.Popen([sys.executable, "-c", SINK, home], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        assert sink.stdout.readline().strip() == "ready"
        run(home, sink)
    finally:
        sink.kill()
        sink.wait()


def sink_count(sink):
    sink.stdin.write("count\n")
    sink.stdin.flush()
    return int(sink.stdout.readline())


def run(home, sink):
    with open(os.path.join(home, "whatap.conf"), "w") as f:
        f.write("agent_autostart=false\napp_name=bench\n")
    os.environ["WHATAP_HOME"] = home
    os.environ["WHATAP_AUTOBOOT"] = "0"
    from whatap.tracer import boot
    tracer = boot.boot("bench")
    assert tracer is not None, "the tracer did not start"
    wsgi = measure(tracer, sink, *flask_calls())
    asgi = measure(tracer, sink, *fastapi_calls())
    print("budget %.0f us/request: %s" % (BUDGET_US, "ok" if wsgi <= BUDGET_US else "EXCEEDED"))
    print("agent overhead: %.1f us/request" % wsgi)
    print("agent overhead asgi: %.1f us/request" % asgi)


def flask_calls():
    """(label, plain call, traced call, block(call, n) -> [ns per request])."""
    from flask import Flask
    app = Flask("bench")

    @app.route("/hello")
    def hello():
        return "hello"

    traced_call = type(app).__call__
    plain_call = traced_call.__wrapped__  # Flask's own __call__, before the tracer patched it
    template = {"REQUEST_METHOD": "GET", "PATH_INFO": "/hello", "QUERY_STRING": "", "SCRIPT_NAME": "",
                "REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
                "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost", "HTTP_USER_AGENT": "bench",
                "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.errors": sys.stderr,
                "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False}

    def start_response(status, headers, exc_info=None):
        return None

    def one(call):
        environ = dict(template)
        environ["wsgi.input"] = io.BytesIO(b"")
        t0 = time.perf_counter_ns()
        result = call(app, environ, start_response)
        for _ in result:
            pass
        if hasattr(result, "close"):
            result.close()
        return time.perf_counter_ns() - t0

    return "Flask (WSGI)", plain_call, traced_call, lambda call, n: [one(call) for _ in range(n)]


def fastapi_calls():
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse
    app = FastAPI()

    @app.get("/hello")
    async def hello():
        return PlainTextResponse("hello")

    traced_call = type(app).__mro__[1].__call__  # Starlette.__call__, patched by the tracer
    plain_call = traced_call.__wrapped__
    loop = asyncio.new_event_loop()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": "/hello", "raw_path": b"/hello", "root_path": "", "query_string": b"",
             "headers": [(b"host", b"localhost"), (b"user-agent", b"bench")], "client": ("127.0.0.1", 5000),
             "server": ("localhost", 80)}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        return None

    async def calls(call, n):
        times = []
        for _ in range(n):
            t0 = time.perf_counter_ns()
            await call(app, dict(scope), receive, send)
            times.append(time.perf_counter_ns() - t0)
        return times

    return "FastAPI (ASGI)", plain_call, traced_call, lambda call, n: loop.run_until_complete(calls(call, n))


def measure(tracer, sink, label, plain_call, traced_call, calls):
    calls(plain_call, 500)  # warm up both paths (imports, caches, the sender thread)
    calls(traced_call, 500)
    tracer.sender.drain()
    time.sleep(0.3)
    plain, traced, deltas = [], [], []
    cpu = {plain_call: 0.0, traced_call: 0.0}
    sent_before = tracer.sender.sent
    received_before = sink_count(sink)

    def block(call):
        c0 = time.process_time()  # all threads: includes the sender's serialization and sending
        times = calls(call, CALLS)
        if call is traced_call:
            tracer.sender.drain()
        cpu[call] += time.process_time() - c0
        if call is traced_call:
            caught_up(len(traced) + CALLS)
        return times

    def caught_up(expected):
        """Untimed: waits until the sink has read every transaction sent so far."""
        deadline = time.monotonic() + 10
        while sink_count(sink) - received_before < expected and time.monotonic() < deadline:
            tracer.sender.drain()
            time.sleep(0.002)

    for r in range(ROUNDS):
        gc.collect()
        first, second = (plain_call, traced_call) if r % 2 == 0 else (traced_call, plain_call)
        a = block(first)
        b = block(second)
        p, t = (a, b) if first is plain_call else (b, a)
        plain += p
        traced += t
        deltas.append(statistics.median(t) - statistics.median(p))
    caught_up(len(traced))
    received = sink_count(sink) - received_before
    sent = tracer.sender.sent - sent_before
    us = lambda ns: ns / 1000.0  # noqa: E731
    print("%s: %d plain + %d traced requests, %d messages sent (transactions and 5 s counters), "
          "%d transactions received at the agent's socket"
          % (label, len(plain), len(traced), sent, received))
    assert received == len(traced), "the sink received %d of %d transactions" % (received, len(traced))
    print("  plain  median %.1f us, p90 %.1f us" % (us(statistics.median(plain)), us(_p(plain, 0.9))))
    print("  traced median %.1f us, p90 %.1f us" % (us(statistics.median(traced)), us(_p(traced, 0.9))))
    n = ROUNDS * CALLS
    print("  CPU per request, all threads: plain %.1f us, traced %.1f us (+%.1f us)"
          % (cpu[plain_call] / n * 1e6, cpu[traced_call] / n * 1e6, (cpu[traced_call] - cpu[plain_call]) / n * 1e6))
    return us(statistics.median(deltas))


def _p(values, q):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)]


if __name__ == "__main__":
    main()
