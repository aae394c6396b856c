"""SQL steps through psycopg2 against a throw-away PostgreSQL cluster (skipped without one)."""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import free_port
from tracer_harness import call, traced, tracer  # noqa: F401  (the in-process tracer fixtures)

psycopg2 = pytest.importorskip("psycopg2")
BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


@pytest.fixture(scope="module")
def postgres():
    if not BIN or not os.path.exists(os.path.join(BIN[-1], "initdb")):
        pytest.skip("PostgreSQL server binaries are not installed")
    try:
        user = pwd.getpwnam("postgres") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
    except KeyError:
        pytest.skip("no postgres user to run the server as")
    base = tempfile.mkdtemp(prefix="whatap-pg-", dir="/tmp")
    os.chown(base, user.pw_uid, user.pw_gid)
    port = free_port()

    def as_user():
        if os.getuid() == 0:
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
    data = os.path.join(base, "data")
    subprocess.run([os.path.join(BIN[-1], "initdb"), "-D", data, "-A", "trust", "-U", "app", "--no-sync"],
                   check=True, capture_output=True, timeout=120, preexec_fn=as_user)
    server = subprocess.Popen([os.path.join(BIN[-1], "postgres"), "-D", data, "-p", str(port), "-k", base,
                               "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=as_user)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg2.connect(host="127.0.0.1", port=port, user="app", dbname="postgres").close()
                break
            except psycopg2.OperationalError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield {"host": "127.0.0.1", "port": port, "user": "app", "dbname": "postgres"}
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(base, ignore_errors=True)


def test_psycopg2_queries_become_sql_steps(tracer, postgres):  # noqa: F811
    import whatap
    from psycopg2 import extras, sql
    tracer.configure(profile_sql_param_enabled="true")

    @whatap.register_app
    def app(environ, start_response):
        conn = psycopg2.connect(**postgres)
        assert isinstance(conn, psycopg2.extensions.connection)
        cur = conn.cursor()
        cur.execute("CREATE TEMP TABLE t (id int, name text)")
        cur.executemany("INSERT INTO t VALUES (%s, %s)", [(1, "a"), (2, "b")])
        cur.execute("SELECT id, name FROM t WHERE id >= %(low)s AND name <> 'zz'", {"low": 1})
        rows = cur.fetchall()
        dict_cur = conn.cursor(cursor_factory=extras.RealDictCursor)
        dict_cur.execute(sql.SQL("SELECT {} FROM t ORDER BY id").format(sql.Identifier("name")))
        names = [r["name"] for r in dict_cur]
        conn.close()
        start_response("200 OK", [])
        return [("%d %s" % (len(rows), ",".join(names))).encode()]

    assert call(app, "/pg")[1] == b"2 a,b"
    _, tx = tracer.sink.next()
    steps = tx["steps"]
    assert steps[0]["kind"] == "dbc" and "port=%d" % postgres["port"] in steps[0]["text"]
    sql_steps = [s for s in steps if s["kind"] == "sql"]
    assert [s["text"] for s in sql_steps] == [
        "CREATE TEMP TABLE t (id int, name text)", "INSERT INTO t VALUES (?, ?)",
        "SELECT id, name FROM t WHERE id >= ? AND name <> ?", 'SELECT "name" FROM t ORDER BY id']
    assert sql_steps[1]["p"] == [1, "a"]
    assert sql_steps[2]["p"] == [1, "zz"] and sql_steps[2]["fetch"] == 2
    assert sql_steps[3]["fetch"] == 2
