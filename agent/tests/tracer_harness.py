"""The tracer booted inside the pytest process, sending sealed datagrams (net_udp_port) to a real
UDP socket that stands in for the agent process; shared by the in-process test modules, with a
WSGI app around a test's code and the guard tests' injected failure and hook-log check."""
import json
import os
import socket
import time

import pytest

from conftest import APPS, write_conf
from whatap import conf as confmod
from whatap import hooks, link_seal, rundir, udp_wire


class Sink:
    def __init__(self, home):
        run_fd = rundir.prepare_for_agent(home, [])  # what the agent process does at start
        try:
            self.opener = link_seal.Opener(rundir.agent_key(run_fd, home, []))
        finally:
            os.close(run_fd)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.reassembler = udp_wire.Reassembler()
        self.datagrams = 0
        self.waiting = []  # (pid, transaction) received in a message of rows, not taken yet

    def drain(self):
        self.waiting = []
        while True:
            try:
                self.sock.recv(65535)
            except socket.timeout:
                return

    def next(self, kind=udp_wire.KIND_TX, timeout=5.0):
        """The next message of ``kind``; KIND_TX: the next transaction, as the agent reads it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if kind == udp_wire.KIND_TX and self.waiting:
                return self.waiting.pop(0)
            try:
                data = self.sock.recv(65535)
            except socket.timeout:
                continue
            self.datagrams += 1
            opened = self.opener.open(data)
            assert opened is not None, "a datagram that is not sealed with the home's link key"
            got = self.reassembler.feed(opened, time.monotonic())
            if got and got[0] == udp_wire.KIND_TX_ROWS:
                self.waiting += [(got[1], udp_wire.tx_from_row(row)) for row in json.loads(got[2])]
            elif got and got[0] == kind:
                return got[1], json.loads(got[2])
        raise AssertionError("no message of kind %d within %.1f s" % (kind, timeout))


_BOOTED = []  # boot() runs once per process: every module that imports the fixture shares it


@pytest.fixture(scope="session")
def traced(tmp_path_factory):
    """Boots the tracer in this pytest process (once) with its hooks, sending to a sink."""
    if not _BOOTED:
        from whatap.tracer import boot
        home = str(tmp_path_factory.mktemp("tracerhome"))
        sink = Sink(home)
        write_conf(home, net_udp_port=sink.port, agent_autostart="false")
        os.environ["WHATAP_HOME"] = home
        tracer = boot.boot("test")
        assert tracer is not None
        import sys
        sys.path.insert(0, APPS)
        _BOOTED.append((tracer, sink, home))
    yield _BOOTED[0]


@pytest.fixture
def tracer(traced):
    """Each test starts from default options (plus its own)."""
    the_tracer, sink, home = traced

    def configure(**options):
        text = "net_udp_port=%d\nagent_autostart=false\n" % sink.port
        text += "".join("%s=%s\n" % (k, v) for k, v in options.items())
        the_tracer.apply(confmod.parse(text))
    configure()
    sink.drain()
    the_tracer.configure = configure
    the_tracer.sink = sink
    yield the_tracer
    configure()


def call(app, path="/", query="", method="GET", body=b"", content_type=None):
    """A WSGI call the way a server makes it: iterate, then close."""
    import io
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
               "REMOTE_ADDR": "10.1.2.3", "HTTP_USER_AGENT": "pytest-agent", "SERVER_NAME": "localhost",
               "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(), "wsgi.version": (1, 0),
               "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
               "CONTENT_LENGTH": str(len(body))}
    if content_type:
        environ["CONTENT_TYPE"] = content_type
    status = []
    result = app(environ, lambda s, h, e=None: status.append(s))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return status[0], body


def body_app(body):
    """A registered WSGI app answering 200 with what ``body()`` returns (bytes)."""
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        out = body()
        start_response("200 OK", [])
        return [out]
    return app


# -- the guard tests: a failure injected into the agent's own work ---------------------------
class Injected(Exception):
    """What the tests make the agent's own code raise."""


class AppFailure(Exception):
    """What the app itself raises; it must reach the server unchanged."""


def raise_injected(*args, **kwargs):
    raise Injected("injected failure")


@pytest.fixture(autouse=True)
def fresh_failure_log(monkeypatch):
    """Each test sees its own first hook-log line (autouse where a module imports it)."""
    monkeypatch.setattr(hooks, "_failures", {}, raising=False)


@pytest.fixture
def hook_log(tracer):  # noqa: F811
    """``hook_log(where)`` asserts whatap-hook.log gained a line naming ``where`` and the
    injected exception since the test began, without its message."""
    path = os.path.join(tracer.home.logs, "whatap-hook.log")
    injected = "%s.%s" % (Injected.__module__, Injected.__qualname__)

    def read():
        try:
            with open(path, encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            return ""
    start = len(read())

    def lines_since():
        return read()[start:].splitlines()

    def assert_named(where):
        lines = [line for line in lines_since() if "HOOK ERROR: %s failed: %s" % (where, injected) in line]
        assert lines, "no hook-log line for %s in %r" % (where, lines_since())
        assert "injected failure" not in lines[0]  # the message may quote app values: not logged
    return assert_named
