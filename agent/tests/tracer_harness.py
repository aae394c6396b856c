"""The tracer booted inside the pytest process, sending sealed datagrams (net_udp_port) to a real
UDP socket that stands in for the agent process; shared by the in-process test modules."""
import json
import os
import socket
import time

import pytest

from conftest import APPS, write_conf
from whatap import conf as confmod
from whatap import link_seal, rundir, udp_wire


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

    def drain(self):
        while True:
            try:
                self.sock.recv(65535)
            except socket.timeout:
                return

    def next(self, kind=udp_wire.KIND_TX, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                data = self.sock.recv(65535)
            except socket.timeout:
                continue
            self.datagrams += 1
            opened = self.opener.open(data)
            assert opened is not None, "a datagram that is not sealed with the home's link key"
            got = self.reassembler.feed(opened, time.monotonic())
            if got and got[0] == kind:
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
