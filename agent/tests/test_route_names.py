"""Transactions are named by the framework's route template (Flask, Django, FastAPI/Starlette),
else by a trace_normalize_urls pattern, else by the path; beyond stat_tx_max_count distinct
names a process counts the rest under the overflow name."""
import pytest

from conftest import APPS, env_for, free_port, http_get, wait_http
from test_servers import by_url, start_agent_cmd
from whatap.tracer.naming import OVERFLOW_NAME, Names


def serve(procs, venv, home, tmp_path, command, name):
    port = free_port()
    command = [c.replace("{port}", str(port)) for c in command]
    proc = procs.start(start_agent_cmd(venv, *command), env=env_for(venv, home, TEST_DB=str(tmp_path / "r.sqlite3")),
                       cwd=APPS, log_path=str(tmp_path / (name + ".log")))
    base = "http://127.0.0.1:%d" % port
    wait_http(base + "/hello", proc, timeout=40)
    return base


def urls_of(collector):
    return sorted(t["url"] for t in collector.txs.values())


def test_flask_names_by_url_rule_and_normalize_patterns_for_unrouted_paths(venv, make_home, collector, procs,
                                                                           tmp_path):
    home = make_home(collector.port, trace_normalize_urls="/legacy/{id}/view, /files/{name}")
    base = serve(procs, venv, home, tmp_path, ["gunicorn", "-w", "1", "-b", "127.0.0.1:{port}", "routes_flask:app"],
                 "flask")
    assert http_get(base + "/items/1")[0] == 200
    assert http_get(base + "/items/2")[0] == 200
    assert http_get(base + "/users/ann/orders/7")[0] == 200
    assert http_get(base + "/legacy/123/view")[0] == 404   # no rule: the pattern names it
    assert http_get(base + "/legacy/123/edit")[0] == 404   # matches no pattern: the path
    collector.wait(lambda c: len(c.txs) == 6, what="six transactions")
    assert urls_of(collector) == ["/hello", "/items/<int:item_id>", "/items/<int:item_id>", "/legacy/123/edit",
                                  "/legacy/{id}/view", "/users/<name>/orders/<int:order_id>"]


def test_django_names_by_resolved_route_including_includes_and_regex_paths(venv, make_home, collector, procs,
                                                                          tmp_path):
    home = make_home(collector.port)
    base = serve(procs, venv, home, tmp_path, ["gunicorn", "-w", "1", "-b", "127.0.0.1:{port}", "routesite.wsgi"],
                 "django")
    assert http_get(base + "/shop/items/5")[0] == 200
    assert http_get(base + "/shop/items/6")[0] == 200
    assert http_get(base + "/archive/2024/")[0] == 200
    assert http_get(base + "/nope/1")[0] == 404
    collector.wait(lambda c: len(c.txs) == 5, what="five transactions")
    assert urls_of(collector) == ["/archive/(?P<year>[0-9]{4})/", "/hello", "/nope/1", "/shop/items/<int:item_id>",
                                  "/shop/items/<int:item_id>"]


def test_fastapi_names_by_route_path_and_overflow_beyond_stat_tx_max_count(venv, make_home, collector, procs,
                                                                          tmp_path):
    pytest.importorskip("fastapi")
    home = make_home(collector.port, app_process_name="uvicorn", stat_tx_max_count=4)
    base = serve(procs, venv, home, tmp_path, ["uvicorn", "--host", "127.0.0.1", "--port", "{port}", "asgi_app:app"],
                 "fastapi")
    for path in ["/items/1", "/star/users/9", "/missing/a", "/missing/b", "/missing/c", "/items/2", "/hello"]:
        http_get(base + path)
    collector.wait(lambda c: len(c.txs) == 8, what="eight transactions")
    # /hello, /items/{item_id}, /star/users/{uid}, /missing/a fill the four names; the next new
    # names are counted under the overflow name, names already seen keep theirs.
    assert urls_of(collector) == sorted(["/hello", "/items/{item_id}", "/star/users/{uid}", "/missing/a",
                                         OVERFLOW_NAME, OVERFLOW_NAME, "/items/{item_id}", "/hello"])


def test_names_rules():
    names = Names(["/a/{v}/b", "/static/{file}"], 3)
    assert names.name("/a/42/b") == "/a/{v}/b"
    assert names.name("/a/42/b/") == "/a/{v}/b"
    assert names.name("/a/4/2/b") == "/a/4/2/b"  # a placeholder is one path segment
    assert names.name("/a/42/b", route="/a/<int:v>/b") == "/a/<int:v>/b"  # the route template wins
    assert names.name("/x") == OVERFLOW_NAME
    assert names.name("/a/9/b") == "/a/{v}/b"
    assert names.overflowed == 1
