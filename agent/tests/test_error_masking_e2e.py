"""Bind values do not leak through error text (issue 12, item 15), end to end: a real PostgreSQL
constraint failure in a gunicorn Flask app under whatap-start-agent, the agent process, and the
REAL collector (collector/cli.ts, embedded SQLite). The distinctive values are in no file of the
collector's data directory (WAL included) and in no answer of the console's API; the security
key gives the original error text back."""
import os
import re
import socket
import time

import pytest

from conftest import APPS, env_for, free_port, http_get, wait_for, wait_http, write_conf
from test_psycopg2 import postgres  # noqa: F401  (the throw-away PostgreSQL fixture)
from test_real_collector import Console, _ingest_is_a_stub, first_project, start_collector
from whatap import paramkey

pytestmark = pytest.mark.skipif(_ingest_is_a_stub(), reason="collector/ingest/server.ts is still a STUB")
psycopg2 = pytest.importorskip("psycopg2")

NOT_NULL_VALUE = "probeA-7731"   # in the row PostgreSQL refuses (Failing row contains (…))
UNIQUE_VALUE = "probeU-7731"     # in the key PostgreSQL repeats (Key (email)=(…))


@pytest.fixture
def collector_with_data(procs, tmp_path):
    """The real collector on free ports; yields (api base, ingest port, data dir, process)."""
    return start_collector(procs, tmp_path)


def _files_containing(root, needles):
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as f:
                    content = f.read()
            except FileNotFoundError:  # SQLite removes -shm / -wal as the collector closes
                continue
            found += ["%s in %s" % (n, path) for n in needles if n.encode() in content]
    return found


def test_constraint_values_never_reach_the_collector_in_clear(venv, collector_with_data, procs, tmp_path,
                                                              postgres):  # noqa: F811
    base, ingest_port, data_dir, collector = collector_with_data
    setup = psycopg2.connect(**postgres)
    setup.autocommit = True
    setup.cursor().execute("DROP TABLE IF EXISTS members; CREATE TABLE members "
                           "(id serial PRIMARY KEY, email text UNIQUE NOT NULL, name text NOT NULL)")
    setup.cursor().execute("INSERT INTO members (email, name) VALUES (%s, 'first')", (UNIQUE_VALUE,))
    setup.close()

    console = Console(base)
    pcode, key = first_project(console, tmp_path / "collector.log", "Members")

    home = str(tmp_path / "whatap")
    write_conf(home, license=key, whatap__server__host="127.0.0.1", whatap__server__port=ingest_port,
               app_name="members", app_process_name="gunicorn", net_udp_port=free_port(socket.SOCK_DGRAM),
               profile_sql_param_enabled="true")  # profile_basetime is 0 by default: every profile is kept
    procs.homes.append(home)
    port = free_port()
    dsn = "host=%(host)s port=%(port)d user=%(user)s dbname=%(dbname)s" % postgres
    app = procs.start([os.path.join(venv, "bin", "whatap-start-agent"), "gunicorn", "-w", "1", "-b",
                       "127.0.0.1:%d" % port, "pg_app:app"],
                      env=env_for(venv, home, PG_DSN=dsn), cwd=APPS, log_path=str(tmp_path / "app.log"))
    app_url = "http://127.0.0.1:%d" % port
    wait_http(app_url + "/again", app)
    assert http_get(app_url + "/signup")[0] == 500   # the app's normal answer to its own bug
    assert http_get(app_url + "/again")[0] == 409

    now = int(time.time() * 1000)

    def transactions():
        status, body = console.call("GET", "/api/v1/projects/%s/transactions?from=0&to=%d" % (pcode, now + 60000))
        assert status == 200, body
        urls = [t["url"] for t in body["transactions"]]
        return body if "/signup" in urls and urls.count("/again") >= 2 else None
    listing = wait_for(transactions, timeout=60, what="the transactions in the console API")
    answers = [listing]
    profiles = {}
    for t in listing["transactions"]:
        status, profile = console.call("GET", "/api/v1/projects/%s/transactions/%s" % (pcode, t["txid"]))
        assert status == 200, profile
        answers.append(profile)
        profiles.setdefault(t["url"], []).append(profile)
    for kind in ("transactions", "sql", "errors"):
        def stats(kind=kind):
            status, body = console.call("GET", "/api/v1/projects/%s/stats/%s?from=%d&to=%d"
                                        % (pcode, kind, now - 3600000, now + 60000))
            assert status == 200, body
            return body if body["rows"] else None
        answers.append(wait_for(stats, timeout=60, what="%s statistics" % kind))

    # What is shown: masked, still saying what went wrong.
    signup = profiles["/signup"][0]
    assert signup["transaction"]["status"] == 500
    assert signup["transaction"]["errorMessage"] == (
        'null value in column "name" of relation "members" violates not-null constraint\n'
        "DETAIL:  Failing row contains (#).\n")
    assert "Failing row contains (#)." in signup["transaction"]["errorStack"]
    failed_sql = [s for s in signup["steps"] if s["kind"] == "sql" and s.get("error")]
    assert failed_sql[0]["error"].startswith("psycopg2.errors.NotNullViolation: null value in column \"name\"")
    again = [p for p in profiles["/again"] if p["transaction"]["status"] == 409][0]
    unique_sql = [s for s in again["steps"] if s["kind"] == "sql" and s.get("error")][0]
    assert "DETAIL:  Key (email)=(#) already exists." in unique_sql["error"]
    errors = answers[-1]["rows"]
    assert any(r["key"] == "psycopg2.errors.NotNullViolation" and "Failing row contains (#)" in r["message"]
               for r in errors)

    # In clear nowhere: no API answer, no file of the data directory (database, -wal, -shm).
    for answer in answers:
        text = repr(answer)
        assert NOT_NULL_VALUE not in text and UNIQUE_VALUE not in text, text
    for name in ("probeA", "probeU"):
        assert name not in (tmp_path / "collector.log").read_text(errors="replace")
    assert any(name.endswith("-wal") for name in os.listdir(data_dir)), os.listdir(data_dir)
    assert _files_containing(data_dir, [NOT_NULL_VALUE, UNIQUE_VALUE, "probeA", "probeU"]) == []

    # The security key gives the originals back (what the console decrypts in the browser).
    with open(os.path.join(home, "paramkey.txt")) as f:
        secret = f.read().strip()

    def originals(profile):
        return [paramkey.open_envelope(secret, s["params"])["error"] for s in profile["steps"]
                if s["kind"] == "message" and s.get("params")]
    kept = [o for o in originals(signup) if NOT_NULL_VALUE in o]
    assert len(kept) == 1 and re.fullmatch(
        r'psycopg2\.errors\.NotNullViolation: null value in column "name" of relation "members" violates '
        r"not-null constraint\nDETAIL:  Failing row contains \(\d+, %s, null\)\.\n" % NOT_NULL_VALUE, kept[0]), kept
    assert any("Key (email)=(%s) already exists." % UNIQUE_VALUE in o for o in originals(again))

    # Stopped (SQLite checkpoints its WAL into the database file): still nowhere.
    procs.stop(collector)
    assert _files_containing(data_dir, [NOT_NULL_VALUE, UNIQUE_VALUE, "probeA", "probeU"]) == []
