"""Fixtures: the agent installed the way a user installs it (a venv seeing Debian's packages),
homes, a fake collector, a local HTTP backend, and processes that are always cleaned up."""
import contextlib
import http.server
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.dirname(TESTS)
REPO = os.path.dirname(AGENT)
APPS = os.path.join(TESTS, "apps")
PYTHON = "/usr/bin/python3"

# In-process tests import the package from the source tree and boot the tracer themselves.
os.environ["WHATAP_AUTOBOOT"] = "0"
sys.path.insert(0, os.path.join(AGENT, "src"))
sys.path.insert(0, TESTS)

from fake_collector import FakeCollector  # noqa: E402


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture(scope="session")
def venv(tmp_path_factory):
    """A venv with whatap-python installed by pip (reused from scripts/test-agent.sh if given)."""
    given = os.environ.get("WHATAP_TEST_VENV")
    if given and os.path.exists(os.path.join(given, "bin", "whatap-start-agent")):
        return given
    path = str(tmp_path_factory.mktemp("venv") / "v")
    subprocess.run([PYTHON, "-m", "venv", "--system-site-packages", path], check=True, timeout=120)
    subprocess.run([os.path.join(path, "bin", "pip"), "install", "-q", "--no-build-isolation", "--no-index", AGENT],
                   check=True, timeout=300, stdout=subprocess.DEVNULL)
    import shutil
    shutil.rmtree(os.path.join(AGENT, "build"), ignore_errors=True)  # pip's build leftovers
    return path


class Procs:
    """Processes started by a test; each is killed (its own process group) at the end."""

    def __init__(self):
        self.procs = []
        self.homes = []

    def start(self, cmd, env=None, cwd=None, log_path=None):
        out = open(log_path, "ab") if log_path else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT if log_path else out,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        proc.log_path = log_path
        self.procs.append(proc)
        return proc

    def stop(self, proc, sig=signal.SIGTERM, timeout=10):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(5)

    def cleanup(self):
        for proc in reversed(self.procs):
            self.stop(proc)
        for home in self.homes:
            stop_agent_of(home)


def agent_pid_of(home):
    from whatap.home import Home
    from whatap.process import agent_pid
    return agent_pid(Home(home))


def stop_agent_of(home):
    """Stops the agent this test started for ``home`` (by its pid, from the pid file)."""
    pid = agent_pid_of(home)
    if pid and pid > 0:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and agent_pid_of(home):
            time.sleep(0.05)
        if agent_pid_of(home):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def procs():
    p = Procs()
    yield p
    p.cleanup()


@pytest.fixture
def collector():
    fc = FakeCollector()
    yield fc
    fc.close()


def write_conf(home, **options):
    os.makedirs(home, exist_ok=True)
    lines = ["%s=%s" % (k.replace("__", "."), v) for k, v in options.items()]
    with open(os.path.join(home, "whatap.conf"), "w") as f:
        f.write("\n".join(lines) + "\n")


@pytest.fixture
def make_home(tmp_path, procs):
    """make_home(collector_port, **options) -> a WHATAP_HOME path with a whatap.conf (the default
    transport, the agent's Unix socket, unless net_udp_port is given)."""
    counter = [0]

    def make(collector_port=None, **options):
        counter[0] += 1
        home = str(tmp_path / ("home%d" % counter[0]))
        base = {"license": "tsl_testpcod_AAAAAAAABBBBBBBBBBBBBBBBBBBBBBBBBBCCCCCC",
                "whatap__server__host": "127.0.0.1",
                "whatap__server__port": collector_port or free_port(),
                "app_name": "shop", "app_process_name": "gunicorn"}
        base.update(options)
        write_conf(home, **base)
        procs.homes.append(home)
        return home
    return make


def env_for(venv, home, **extra):
    env = dict(os.environ)
    env.pop("WHATAP_AUTOBOOT", None)
    env.pop("PYTHONPATH", None)
    env["WHATAP_HOME"] = home
    env["PATH"] = os.path.join(venv, "bin") + os.pathsep + env.get("PATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update({k: str(v) for k, v in extra.items()})
    return env


@contextlib.contextmanager
def serving_get(answer):
    """A threaded HTTP server on a free loopback port; yields its base URL. For each GET,
    answer(request) returns (status, body[, content type]), or None to hang up without answering."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            reply = answer(self)
            if reply is None:
                self.close_connection = True
                return
            status, body, *content_type = reply
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type[0])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def backend():
    """A local HTTP server for outbound-call steps: GET /backend answers 200."""
    with serving_get(lambda req: (200 if req.path.startswith("/backend") else 404, b"ok")) as url:
        yield url


def http_get(url, timeout=10, data=None):
    """(status, body) without raising on HTTP errors."""
    try:
        with urllib.request.urlopen(url, timeout=timeout, data=data) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_http(url, proc=None, timeout=20):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError("the server exited with %s: %s" % (proc.returncode, read_log(proc)))
        try:
            return http_get(url, timeout=2)
        except OSError as e:
            last = e
            time.sleep(0.1)
    raise AssertionError("%s did not answer: %s; %s" % (url, last, read_log(proc) if proc else ""))


def read_log(proc):
    path = getattr(proc, "log_path", None)
    if not path or not os.path.exists(path):
        return ""
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")[-4000:]


def boot_log(home):
    logs = os.path.join(home, "logs")
    text = ""
    for name in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
        if name.startswith("whatap-boot-"):
            with open(os.path.join(logs, name), encoding="utf-8", errors="replace") as f:
                text += f.read()
    return text


def wait_for(predicate, timeout=15.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


class LogLines:
    """Stands in for AgentLog where a test plays the tracer."""

    def __init__(self):
        self.lines = []

    def boot(self, line):
        self.lines.append(line)


def channel_to(home):
    """The tracer's real channel to the agent of ``home`` (its Unix socket, or sealed UDP)."""
    from whatap.conf import read
    from whatap.home import Home
    from whatap.tracer.channel import Channel
    conf = read(os.path.join(home, "whatap.conf"))
    return Channel(Home(home), lambda: conf, LogLines())


def send_message(home, kind, message, pid=4242):
    """Sends one message to the agent of ``home`` the way a tracer does."""
    from whatap import udp_wire
    channel = channel_to(home)
    datagrams = udp_wire.encode(kind, random.getrandbits(32), pid, json.dumps(message).encode())
    try:
        assert channel.send(datagrams), "not sent: %s" % channel.log.lines
    finally:
        channel.after_fork()  # closes the socket; what was sent is still delivered


def as_nobody():
    """preexec_fn running a child as 'nobody' (65534); tests that need it skip unless run as root."""
    if os.getuid() != 0:
        pytest.skip("needs root to run the attacker as 'nobody'")

    def demote():
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    return demote
