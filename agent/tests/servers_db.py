"""Throw-away database servers for the library tests, each on a free 127.0.0.1 port with its
data in a temporary directory, stopped at the end of the session. A fixture skips (saying
which binary is missing) only when the server is not installed; a server that is installed
but does not start fails the tests.

- ``mariadb``: ``mariadb-install-db`` + ``mariadbd`` with ``--skip-grant-tables`` (any user,
  no password), database ``app``; ``{"host", "port", "user", "database"}``.
- ``redis_server``: ``redis-server --save ''`` (no persistence); ``{"host", "port", "url"}``.
- ``postgres``: the PostgreSQL cluster of ``test_psycopg2`` (module scope), re-exported here.
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import free_port
from test_psycopg2 import postgres  # noqa: F401  (the throw-away PostgreSQL fixture)

MARIADB_SERVER = ("mariadbd", "mysqld")
MARIADB_INSTALL = ("mariadb-install-db", "mysql_install_db")


def _which(names, extra=("/usr/sbin", "/usr/bin")):
    for name in names:
        found = shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", "")] + list(extra)))
        if found:
            return found
    return None


class Server:
    """A server process in its own session (so its children go with it) and its temp dir."""

    def __init__(self, name, base):
        self.name = name
        self.base = base
        self.proc = None
        self.log_path = os.path.join(base, name + ".log")

    def start(self, cmd):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True, cwd=self.base)
        log.close()

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-3000:]
        except OSError:
            return ""

    def wait_ready(self, ready, timeout=60.0):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("%s exited with %s:\n%s" % (self.name, self.proc.returncode, self.log()))
            try:
                if ready():
                    return
            except Exception as e:  # not listening yet
                last = e
            time.sleep(0.2)
        raise AssertionError("%s did not become ready in %.0f s (%s):\n%s" % (self.name, timeout, last, self.log()))

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="session")
def mariadb():
    server_bin, install_bin = _which(MARIADB_SERVER), _which(MARIADB_INSTALL)
    if not server_bin or not install_bin:
        pytest.skip("MariaDB is not installed (mariadbd and mariadb-install-db; Debian: mariadb-server)")
    import pymysql
    server = Server("mariadb", tempfile.mkdtemp(prefix="whatap-mariadb-", dir="/tmp"))
    data = os.path.join(server.base, "data")
    as_root = ["--user=root"] if os.getuid() == 0 else []  # mariadbd refuses to run as root without it
    installed = subprocess.run([install_bin, "--no-defaults", "--datadir=" + data, "--skip-test-db"] + as_root,
                               capture_output=True, timeout=180)
    assert installed.returncode == 0, installed.stdout.decode()[-2000:] + installed.stderr.decode()[-2000:]
    port = free_port()
    server.start([server_bin, "--no-defaults", "--datadir=" + data, "--port=%d" % port, "--bind-address=127.0.0.1",
                  "--socket=" + os.path.join(server.base, "mysqld.sock"),
                  "--pid-file=" + os.path.join(server.base, "mysqld.pid"), "--skip-grant-tables",
                  "--skip-log-bin", "--innodb-buffer-pool-size=16M", "--skip-name-resolve"] + as_root)
    try:
        def ready():
            conn = pymysql.connect(host="127.0.0.1", port=port, user="root", connect_timeout=2)
            try:
                conn.cursor().execute("CREATE DATABASE IF NOT EXISTS app")
            finally:
                conn.close()
            return True
        server.wait_ready(ready)
        yield {"host": "127.0.0.1", "port": port, "user": "root", "database": "app"}
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server():
    binary = _which(("redis-server",))
    if not binary:
        pytest.skip("redis-server is not installed (Debian: redis-server)")
    import redis
    server = Server("redis", tempfile.mkdtemp(prefix="whatap-redis-", dir="/tmp"))
    port = free_port()
    server.start([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                  "--dir", server.base, "--daemonize", "no"])
    try:
        server.wait_ready(lambda: redis.Redis(host="127.0.0.1", port=port, socket_timeout=2).ping())
        yield {"host": "127.0.0.1", "port": port, "url": "redis://127.0.0.1:%d/0" % port}
    finally:
        server.stop()
