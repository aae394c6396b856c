"""Real apps under real servers, started the way the manual says: whatap-start-agent <command>."""
import json
import os
import subprocess
import threading

import pytest

from conftest import APPS, agent_pid_of, boot_log, env_for, free_port, http_get, wait_for, wait_http


def serve(procs, venv, home, command, tmp_path, backend=None, name="app", **env):
    port = free_port()
    command = [c.replace("{port}", str(port)) for c in command]
    extra = {"TEST_DB": str(tmp_path / ("%s.sqlite3" % name))}
    if backend:
        extra["TEST_BACKEND_URL"] = backend
    extra.update(env)
    proc = procs.start(command, env=env_for(venv, home, **extra), cwd=APPS, log_path=str(tmp_path / (name + ".log")))
    wait_http("http://127.0.0.1:%d/hello" % port, proc)
    return proc, "http://127.0.0.1:%d" % port


def start_agent_cmd(venv, *command):
    return [os.path.join(venv, "bin", "whatap-start-agent")] + list(command)


def parallel_gets(urls):
    results = []
    threads = [threading.Thread(target=lambda u=u: results.append(http_get(u))) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def by_url(collector, url):
    return [t for t in collector.txs.values() if t["url"] == url]


def with_plugin(home):
    with open(os.path.join(home, "plugin.json"), "w") as f:
        json.dump({"methods": ["shop_logic:Pricing.total"]}, f)
    with open(os.path.join(home, "whatap.conf"), "a") as f:
        f.write("plugin=true\n")


@pytest.mark.parametrize("preload", [False, True], ids=["workers-import-app", "preload"])
def test_flask_under_gunicorn_with_two_workers(venv, make_home, collector, procs, tmp_path, backend, preload):
    home = make_home(collector.port)
    with_plugin(home)
    pidfile = str(tmp_path / "gunicorn.pid")
    command = ["gunicorn", "-w", "2", "-b", "127.0.0.1:{port}", "--pid", pidfile, "flask_app:app"]
    if preload:
        command.insert(1, "--preload")
    proc, base = serve(procs, venv, home, start_agent_cmd(venv, *command), tmp_path, backend)
    with open(pidfile) as f:
        assert int(f.read()) == proc.pid  # whatap-start-agent exec'd gunicorn in place
    results = parallel_gets([base + "/stream"] * 6 + [base + "/hello?card=4111"] * 4)
    assert all(status == 200 for status, _ in results)
    assert http_get(base + "/boom")[0] == 500
    collector.wait(lambda c: len(by_url(c, "/hello")) >= 5 and by_url(c, "/stream") and by_url(c, "/boom"),
                   what="the transactions")
    worker_pids = {int(body.split("pid=")[1]) for status, body in results if "pid=" in body}
    hello = by_url(collector, "/hello")[-1]
    kinds = [s["kind"] for s in hello["steps"]]
    assert kinds.count("sql") == 3 and "dbc" in kinds and "httpc" in kinds and "method" in kinds
    sql = [s for s in hello["steps"] if s["kind"] == "sql"]
    assert sql[2]["text"] == "SELECT id, name FROM items WHERE name = ? AND price > ?" and sql[2]["fetch"] >= 1
    httpc = [s for s in hello["steps"] if s["kind"] == "httpc"][0]
    assert httpc["text"] == backend + "/backend" and httpc["status"] == 200
    assert [s["text"] for s in hello["steps"] if s["kind"] == "method"] == ["shop_logic:Pricing.total"]
    assert min(t["elapsed"] for t in by_url(collector, "/stream")) >= 300  # timed until the last chunk
    boom = by_url(collector, "/boom")[0]
    assert boom["status"] == 500 and boom["error"]["class"] == "ValueError"
    assert len(set(collector.txs)) == len(collector.txs) == collector.tx_receipts
    # Counters come from each worker that served requests, never from the master.
    collector.wait(lambda c: {x["pid"] for x in c.counters} >= worker_pids, timeout=12, what="worker counters")
    assert proc.pid not in {x["pid"] for x in collector.counters}
    assert len(worker_pids) == 2


def test_flask_under_uwsgi_with_two_processes_without_threads(venv, make_home, collector, procs, tmp_path, backend):
    home = make_home(collector.port, app_process_name="uwsgi")
    ini = tmp_path / "app.ini"
    port = free_port()
    ini.write_text("[uwsgi]\nplugin = python3\nhttp-socket = 127.0.0.1:%d\nchdir = %s\nmodule = flask_app:app\n"
                   "master = true\nprocesses = 2\ndie-on-term = true\n" % (port, APPS))
    proc = procs.start(start_agent_cmd(venv, "uwsgi", "--ini", str(ini)),
                       env=env_for(venv, home, TEST_DB=str(tmp_path / "u.sqlite3"), TEST_BACKEND_URL=backend),
                       cwd=APPS, log_path=str(tmp_path / "uwsgi.log"))
    base = "http://127.0.0.1:%d" % port
    wait_http(base + "/hello", proc)
    results = parallel_gets([base + "/stream"] * 4 + [base + "/hello"] * 4)
    assert all(status == 200 for status, _ in results)
    # Without --enable-threads the tracer sends from the request itself: nothing waits for a next request.
    collector.wait(lambda c: len(by_url(c, "/hello")) >= 5 and len(by_url(c, "/stream")) == 4,
                   what="every uWSGI transaction")
    assert collector.hellos[0]["objectName"] == "shop-0-1-uwsgi"
    worker_pids = {int(body.split("pid=")[1]) for status, body in results if "pid=" in body}
    assert len(worker_pids) == 2  # both uWSGI processes served and were traced
    txids = list(collector.txs)
    assert len(txids) == len(set(txids)) == collector.tx_receipts  # forked workers never reuse ids


def test_django_under_gunicorn(venv, make_home, collector, procs, tmp_path, backend):
    home = make_home(collector.port, profile_sql_param_enabled="true")
    proc, base = serve(procs, venv, home, start_agent_cmd(venv, "gunicorn", "-w", "2", "-b", "127.0.0.1:{port}",
                                                          "djsite.wsgi"), tmp_path, backend, name="django")
    assert http_get(base + "/hello")[0] == 200
    assert http_get(base + "/boom")[0] == 500
    collector.wait(lambda c: len(by_url(c, "/hello")) >= 2 and by_url(c, "/boom"), what="Django transactions")
    hello = by_url(collector, "/hello")[-1]
    texts = [s["text"] for s in hello["steps"] if s["kind"] == "sql"]
    assert "INSERT INTO notes (body) VALUES (?)" in texts
    assert "SELECT id, body FROM notes WHERE body = ? AND id > ?" in texts
    assert all(s.get("params", "").startswith("v1.") for s in hello["steps"] if s["kind"] == "sql"
               and "VALUES (?)" in s["text"])
    assert [s["status"] for s in hello["steps"] if s["kind"] == "httpc"] == [200]
    boom = by_url(collector, "/boom")[0]
    assert boom["status"] == 500 and boom["error"]["class"] == "KeyError" and "urls.py" in boom["error"]["stack"]


def test_django_runserver_with_its_autoreloader(venv, make_home, collector, procs, tmp_path):
    home = make_home(collector.port, app_process_name="runserver")
    port = free_port()
    proc = procs.start(start_agent_cmd(venv, "python3", "manage.py", "runserver", "127.0.0.1:%d" % port),
                       env=env_for(venv, home, TEST_DB=str(tmp_path / "r.sqlite3")), cwd=APPS,
                       log_path=str(tmp_path / "runserver.log"))
    wait_http("http://127.0.0.1:%d/hello" % port, proc, timeout=30)
    collector.wait(lambda c: by_url(c, "/hello"), what="the runserver transaction")
    texts = [s["text"] for s in by_url(collector, "/hello")[0]["steps"] if s["kind"] == "sql"]
    assert texts[-2:] == ["INSERT INTO notes (body) VALUES (?)", "SELECT id, body FROM notes WHERE body = ? AND id > ?"]


def test_register_app_with_whatap_home_set_in_code_starts_the_agent_itself(venv, make_home, collector, procs,
                                                                             tmp_path):
    home = make_home(collector.port, app_process_name="plain")
    port = free_port()
    env = env_for(venv, "/should/not/be/used", TEST_WHATAP_HOME=home)
    del env["WHATAP_HOME"]  # the app sets it with os.environ.setdefault before import whatap
    proc = procs.start([os.path.join(venv, "bin", "python"), "-m", "gunicorn", "-w", "2", "-b",
                        "127.0.0.1:%d" % port, "wsgi_app:application"], env=env, cwd=APPS,
                       log_path=str(tmp_path / "plain.log"))
    assert wait_http("http://127.0.0.1:%d/" % port, proc) == (200, "plain wsgi\n")
    wait_for(lambda: agent_pid_of(home), what="the agent started by the tracer")
    for _ in range(3):
        http_get("http://127.0.0.1:%d/x" % port)
    collector.wait(lambda c: len(by_url(c, "/x")) == 3, what="register_app transactions")
    assert [s["kind"] for s in by_url(collector, "/x")[0]["steps"]] == ["dbc", "sql"]


def test_collector_down_the_app_still_answers(venv, make_home, procs, tmp_path):
    dead = free_port()
    home = make_home(dead)
    proc, base = serve(procs, venv, home, start_agent_cmd(venv, "gunicorn", "-w", "2", "-b", "127.0.0.1:{port}",
                                                          "flask_app:app"), tmp_path)
    results = parallel_gets([base + "/hello"] * 20)
    assert [s for s, _ in results] == [200] * 20
    wait_for(lambda: "cannot connect to 127.0.0.1:%d: Connection refused" % dead in boot_log(home),
             what="the connection error in the boot log")


MOD_WSGI_LIKE = r"""
import io, json, os, socket, sys
run = os.path.join(sys.argv[1], "run")
os.mkdir(run, 0o700)
sink = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)  # stands in for the agent process
sink.bind(os.path.join(run, "agent.sock"))
sink.listen(1)
sink.settimeout(5)
import whatap  # no WHATAP_HOME in os.environ: nothing starts yet

@whatap.register_app
def application(environ, start_response):
    start_response("200 OK", [])
    return [b"ok"]

environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/setenv", "wsgi.input": io.BytesIO(),
           "WHATAP_HOME": sys.argv[1]}  # what Apache's SetEnv puts in each request
result = application(environ, lambda s, h, e=None: None)
b"".join(result)
result.close()
conn, _ = sink.accept()
conn.settimeout(5)
data = conn.recv(65536)
from whatap import udp_wire
print(udp_wire.tx_from_row(json.loads(data[17:])[0])["url"])  # the tracer sends rows
"""


def test_register_app_takes_whatap_home_from_the_request_like_apache_setenv(venv, make_home, tmp_path):
    home = make_home(agent_autostart="false")
    env = env_for(venv, home)
    del env["WHATAP_HOME"]
    r = subprocess.run([os.path.join(venv, "bin", "python"), "-c", MOD_WSGI_LIKE, home], env=env,
                       cwd="/", capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "/setenv"
    assert "WHATAP_HOME from the request environ (SetEnv)" in boot_log(home)
