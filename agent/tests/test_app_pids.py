"""The agents list shows the app processes behind an agent: gunicorn's worker pids reach the REAL
collector (from each worker's 5-second counters) and its console API, beside the agent's own pid;
a worker that dies leaves the list."""
import os
import signal

import pytest

from conftest import APPS, agent_pid_of, env_for, free_port, wait_for, wait_http, write_conf
from test_real_collector import Console, _ingest_is_a_stub, first_project, start_collector
from test_servers import parallel_gets

pytestmark = pytest.mark.skipif(_ingest_is_a_stub(), reason="collector/ingest/server.ts is still a STUB")


def test_gunicorn_worker_pids_reach_the_agent_list(venv, procs, tmp_path):
    base, ingest_port, _data, _proc = start_collector(procs, tmp_path)
    console = Console(base)
    pcode, key = first_project(console, tmp_path / "collector.log", "Shop")

    home = str(tmp_path / "whatap")
    write_conf(home, license=key, whatap__server__host="127.0.0.1", whatap__server__port=ingest_port,
               app_name="shop", app_process_name="gunicorn")
    procs.homes.append(home)
    port = free_port()
    app = procs.start([os.path.join(venv, "bin", "whatap-start-agent"), "gunicorn", "-w", "3", "-b",
                       "127.0.0.1:%d" % port, "flask_app:app"],
                      env=env_for(venv, home, TEST_DB=str(tmp_path / "app.sqlite3")),
                      cwd=APPS, log_path=str(tmp_path / "app.log"))
    url = "http://127.0.0.1:%d/stream" % port
    wait_http("http://127.0.0.1:%d/hello" % port, app)

    # Slow requests in parallel keep every worker busy, so each serves one (a worker that served
    # nothing sends no counters, like the master).
    workers = set()
    for _ in range(10):
        workers |= {int(b.split("pid=")[1]) for s, b in parallel_gets([url] * 9) if s == 200 and "pid=" in b}
        if len(workers) == 3:
            break
    assert len(workers) == 3, workers

    def listed():
        status, body = console.call("GET", "/api/v1/projects/%s/agents" % pcode)
        assert status == 200, body
        agents = body["agents"]
        return agents[0] if len(agents) == 1 and agents[0]["appPids"] == sorted(workers) else None
    agent = wait_for(listed, timeout=60, what="the worker pids in the agent list")
    assert agent["pid"] == agent_pid_of(home)
    assert app.pid not in agent["appPids"]  # the master serves no request

    # A worker killed by the OOM killer (say): gunicorn starts another, which has served nothing yet.
    gone = min(workers)
    os.kill(gone, signal.SIGKILL)
    workers.discard(gone)
    wait_for(listed, timeout=90, what="the killed worker to leave the agent list")
