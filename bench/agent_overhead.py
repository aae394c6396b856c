"""CPU the tracer adds per request to a Flask hello app (target: 10 us), and to a FastAPI hello
app (ASGI, printed beside it), over all threads of the process: the request's own tracing and
the sender thread's serialization and sending.

Same process, same app, same run: blocks of requests through the framework's original __call__
(not traced) alternate with blocks through the traced one, paced at 2,000 requests/s and flat
out. The tracer ships every transaction over its default transport (the Unix socket in
$WHATAP_HOME/run) to a sink in another process, which counts the transactions it receives: each
block's CPU (time.process_time, all threads) runs until the sink has all of that block's
transactions, and every traced request must arrive (zero drops). The bench never drains the
sender itself: its background thread does, as in a server. The last lines are
``agent drops: N`` and ``agent overhead: N us/request`` (the larger of the paced and flat-out
figures for Flask).
"""
import asyncio
import gc
import io
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT_SRC = os.path.join(os.path.dirname(HERE), "agent", "src")
sys.path.insert(0, AGENT_SRC)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
CALLS = int(os.environ.get("BENCH_CALLS", "1000"))  # requests per block
PACE = 2000.0  # requests/s of the paced run
TARGET_US = 10.0

SINK = r"""
import json, os, selectors, socket, sys, time
sys.path.insert(0, sys.argv[2])
from whatap import udp_wire
run = os.path.join(sys.argv[1], "run")
os.mkdir(run, 0o700)
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)  # where the agent process listens
s.bind(os.path.join(run, "agent.sock"))
s.listen(64)
print("ready", flush=True)
sel = selectors.DefaultSelector()
sel.register(s, selectors.EVENT_READ)
sel.register(sys.stdin, selectors.EVENT_READ)
joiner = udp_wire.Reassembler()
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
                continue
            got = joiner.feed(data, time.monotonic())
            if got and got[0] == udp_wire.KIND_TX_ROWS:
                txs += sum(1 for row in json.loads(got[2]) if udp_wire.tx_from_row(row) is not None)
            elif got and got[0] == udp_wire.KIND_TX:
                txs += 1
"""


def main():
    home = tempfile.mkdtemp(prefix="whatap-bench-")
    sink = subprocess.Popen([sys.executable, "-c", SINK, home, AGENT_SRC], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
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
    bench = Bench(tracer, sink)
    flask = flask_calls()
    paced = bench.measure(*flask, pace=PACE)
    flat = bench.measure(*flask, pace=None)
    asgi = bench.measure(*fastapi_calls(), pace=None)
    wsgi = max(paced, flat)
    print("target %.0f us/request: %s" % (TARGET_US, "met" if wsgi <= TARGET_US else "MISSED"))
    print("agent overhead asgi: %.1f us/request" % asgi)
    print("agent drops: %d" % bench.drops)
    print("agent overhead: %.1f us/request" % wsgi)


class Bench:
    def __init__(self, tracer, sink):
        self.tracer = tracer
        self.sink = sink
        self.drops = 0

    def measure(self, label, plain_call, traced_call, calls, pace):
        """Added CPU per request in microseconds, all threads, every transaction delivered."""
        calls(plain_call, 500, None)  # warm up both paths (imports, caches, the sender thread)
        calls(traced_call, 500, None)
        time.sleep(0.3)
        sender = self.tracer.sender
        received_before = sink_count(self.sink)
        dropped_before = sender.dropped
        cpu = {plain_call: 0.0, traced_call: 0.0}
        wall = {plain_call: 0.0, traced_call: 0.0}
        sender_cpu = 0.0
        traced = 0
        for r in range(ROUNDS):
            for call in (plain_call, traced_call) if r % 2 == 0 else (traced_call, plain_call):
                gc.collect()
                expected = received_before + traced + (CALLS if call is traced_call else 0)
                c0, w0, s0 = time.process_time(), time.perf_counter(), thread_cpu(sender.thread)
                calls(call, CALLS, pace)
                wall[call] += time.perf_counter() - w0
                self.caught_up(expected, CALLS if call is traced_call else 0)
                cpu[call] += time.process_time() - c0
                if call is traced_call:
                    sender_cpu += thread_cpu(sender.thread) - s0
                if call is traced_call:
                    traced += CALLS
        received = sink_count(self.sink) - received_before
        dropped = sender.dropped - dropped_before
        lost = max(traced - received, 0)
        self.drops += max(lost, dropped)
        n = ROUNDS * CALLS
        plain_us, traced_us = cpu[plain_call] / n * 1e6, cpu[traced_call] / n * 1e6
        how = "paced at %s requests/s" % format(int(pace), ",") if pace else \
            "flat out, %s requests/s traced" % format(int(n / wall[traced_call]), ",")
        print("%s, %s: %d plain + %d traced requests, %d transactions received at the agent's socket, "
              "%d dropped by the sender" % (label, how, n, traced, received, dropped))
        print("  CPU per request, all threads: plain %.1f us, traced %.1f us (+%.1f us)"
              % (plain_us, traced_us, traced_us - plain_us))
        print("  of which the sender thread (serializing, sending, its wakeups): %.1f us per transaction"
              % (sender_cpu / n * 1e6))
        return traced_us - plain_us

    def caught_up(self, expected, sent):
        """Waits (sleeping, so at no CPU cost to speak of) until the sink counted ``expected``."""
        deadline = time.monotonic() + 10 + sent / 1000.0
        while time.monotonic() < deadline:
            if sink_count(self.sink) >= expected:
                return
            time.sleep(0.02)


def flask_calls():
    """(label, plain call, traced call, calls(call, n, pace))."""
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

    def calls(call, n, pace):
        def one():
            environ = dict(template)
            environ["wsgi.input"] = io.BytesIO(b"")
            result = call(app, environ, start_response)
            for _ in result:
                pass
            if hasattr(result, "close"):
                result.close()
        paced(pace, n, one)

    return "Flask (WSGI)", plain_call, traced_call, calls


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

    async def flat_out(call, n):
        for _ in range(n):
            await call(app, dict(scope), receive, send)

    def calls(call, n, pace):
        assert pace is None, "the ASGI app runs flat out only"
        loop.run_until_complete(flat_out(call, n))

    return "FastAPI (ASGI)", plain_call, traced_call, calls


def thread_cpu(thread):
    """Seconds a thread has run on a CPU (the kernel's schedstat, in nanoseconds); 0 if unknown."""
    try:
        with open("/proc/self/task/%d/schedstat" % thread.native_id) as f:
            return int(f.read().split()[0]) / 1e9
    except (OSError, AttributeError, TypeError, ValueError):
        return 0.0


def paced(pace, n, one):
    """Calls ``one()`` n times, at ``pace`` per second (sleeping in between), or flat out."""
    if not pace:
        for _ in range(n):
            one()
        return
    t0 = time.perf_counter()
    for i in range(n):
        ahead = t0 + i / pace - time.perf_counter()
        if ahead > 0:
            time.sleep(ahead)
        one()


if __name__ == "__main__":
    main()
