"""The instrumented libraries inside a real app: a Flask app under gunicorn (2 workers) started
with whatap-start-agent, on real MariaDB, PostgreSQL and Redis servers, reporting to the fake
collector: SQLAlchemy over pymysql, psycopg 3, redis-py, httpx sync and async, logging."""
import pytest

from conftest import http_get
from servers_db import mariadb, postgres, redis_server  # noqa: F401  (throw-away servers)
from test_servers import serve, start_agent_cmd

for _name in ("sqlalchemy", "pymysql", "psycopg", "redis", "httpx", "flask"):
    pytest.importorskip(_name)


def test_flask_app_with_the_libraries_under_gunicorn(venv, make_home, collector, procs, tmp_path, backend,
                                                     mariadb, postgres, redis_server):  # noqa: F811
    home = make_home(collector.port, profile_sql_param_enabled="true")
    env = {"MYSQL_URL": "mysql+pymysql://%s@%s:%d/%s" % (mariadb["user"], mariadb["host"], mariadb["port"],
                                                          mariadb["database"]),
           "PG_CONNINFO": "host=%s port=%d user=%s dbname=%s" % (postgres["host"], postgres["port"],
                                                                 postgres["user"], postgres["dbname"]),
           "REDIS_URL": redis_server["url"]}
    _proc, base = serve(procs, venv, home, start_agent_cmd(venv, "gunicorn", "-w", "2", "-b", "127.0.0.1:{port}",
                                                            "libs_app:app"), tmp_path, backend, name="libs", **env)
    assert http_get(base + "/orders/5") == (200, "99")
    assert http_get(base + "/calls") == (200, "called")

    def found(c):
        return [t for t in c.txs.values() if t["url"] in ("/orders/5", "/orders/<int:order_id>")] and \
            [t for t in c.txs.values() if t["url"] == "/calls"]
    collector.wait(found, timeout=30, what="the two transactions")
    order = [t for t in collector.txs.values() if t["url"] != "/calls" and t["url"] != "/hello"][0]
    sql = [s["text"] for s in order["steps"] if s["kind"] == "sql"]
    assert "REPLACE INTO lib_orders (id, total) VALUES (?, ?)" in sql
    assert "SELECT total FROM lib_orders WHERE id = ?" in sql
    assert "SELECT ?::int + ?" in sql                      # psycopg 3
    assert sql[-1] == "redis SET 1 key"
    assert sql.count("SELECT total FROM lib_orders WHERE id = ?") == 1  # SQLAlchemy's, not again by pymysql
    dbc = [s["text"] for s in order["steps"] if s["kind"] == "dbc"]
    assert any(t.startswith("psycopg host=127.0.0.1") for t in dbc)
    # Parameters were collected: the agent process sealed them (never in clear past it).
    select = [s for s in order["steps"] if s["kind"] == "sql" and s["text"].startswith("SELECT total")][0]
    assert (select.get("params") or "").startswith("v1.") and "p" not in select

    calls = [t for t in collector.txs.values() if t["url"] == "/calls"][0]
    assert sorted(s["text"] for s in calls["steps"] if s["kind"] == "httpc") == [backend + "/backend"] * 3
    assert all(s["status"] == 200 for s in calls["steps"] if s["kind"] == "httpc")
    assert "ERROR shop.libs: payment provider slow for order 7" in [s["text"] for s in calls["steps"]
                                                                     if s["kind"] == "message"]
