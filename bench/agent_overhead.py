"""Median time the tracer adds per request to a Flask hello app (budget: 50 us).

Same process, same app, same run: each round times N direct WSGI calls through Flask's original
__call__ (not traced) and N through the traced one, alternating, while the tracer ships every
transaction over its default transport (the Unix socket in $WHATAP_HOME/run) to a sink in
another process. Prints the figures; the last line is
``agent overhead: N us/request``.
"""
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
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
CALLS = int(os.environ.get("BENCH_CALLS", "250"))
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
while True:
    for key, _ in sel.select():
        if key.fileobj is s:
            sel.register(s.accept()[0], selectors.EVENT_READ)
        elif not key.fileobj.recv(65536):
            sel.unregister(key.fileobj)
            key.fileobj.close()
"""


def main():
    home = tempfile.mkdtemp(prefix="whatap-bench-")
    sink = subprocess.Popen([sys.executable, "-c", SINK, home], stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout.readline().strip() == "ready"
        run(home)
    finally:
        sink.kill()
        sink.wait()


def run(home):
    with open(os.path.join(home, "whatap.conf"), "w") as f:
        f.write("agent_autostart=false\napp_name=bench\n")
    os.environ["WHATAP_HOME"] = home
    os.environ["WHATAP_AUTOBOOT"] = "0"
    from whatap.tracer import boot
    tracer = boot.boot("bench")
    assert tracer is not None, "the tracer did not start"

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

    for _ in range(500):  # warm up both paths (imports, caches, the sender thread)
        one(plain_call)
        one(traced_call)
    plain, traced, deltas = [], [], []
    cpu = {plain_call: 0.0, traced_call: 0.0}
    sent_before = tracer.sender.sent

    def block(call):
        c0 = time.process_time()  # all threads: includes the sender's serialization and sendto
        times = [one(call) for _ in range(CALLS)]
        if call is traced_call:
            tracer.sender.drain()
        cpu[call] += time.process_time() - c0
        return times

    for r in range(ROUNDS):
        gc.collect()
        first, second = (plain_call, traced_call) if r % 2 == 0 else (traced_call, plain_call)
        a = block(first)
        b = block(second)
        p, t = (a, b) if first is plain_call else (b, a)
        plain += p
        traced += t
        deltas.append(statistics.median(t) - statistics.median(p))
    time.sleep(0.3)
    tracer.sender.drain()
    sent = tracer.sender.sent - sent_before
    us = lambda ns: ns / 1000.0  # noqa: E731
    print("requests: %d plain + %d traced, %d transactions sent to the agent's socket, %d dropped"
          % (len(plain), len(traced), sent, tracer.sender.dropped))
    print("plain  median %.1f us, p90 %.1f us" % (us(statistics.median(plain)), us(_p(plain, 0.9))))
    print("traced median %.1f us, p90 %.1f us" % (us(statistics.median(traced)), us(_p(traced, 0.9))))
    n = ROUNDS * CALLS
    print("CPU per request, all threads: plain %.1f us, traced %.1f us (+%.1f us)"
          % (cpu[plain_call] / n * 1e6, cpu[traced_call] / n * 1e6, (cpu[traced_call] - cpu[plain_call]) / n * 1e6))
    overhead = us(statistics.median(deltas))
    print("budget %.0f us/request: %s" % (BUDGET_US, "ok" if overhead <= BUDGET_US else "EXCEEDED"))
    print("agent overhead: %.1f us/request" % overhead)


def _p(values, q):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)]


if __name__ == "__main__":
    main()
