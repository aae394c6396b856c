"""A real Celery worker (redis broker) started with whatap-start-agent, solo and prefork pools:
each task run is a transaction named by the task, method TASK, with its SQL, Redis and HTTP
steps; a failing task carries its exception and its ERROR log record."""
import os
import shutil

import pytest

from conftest import APPS, PYTHON, boot_log, env_for
from servers_db import redis_server  # noqa: F401  (the throw-away Redis fixture)

celery = pytest.importorskip("celery")


def _hook_log(home):
    try:
        with open(os.path.join(home, "logs", "whatap-hook.log"), errors="replace") as f:
            return f.read()[-2000:]
    except OSError:
        return ""


def _by_name(collector, name):
    return [t for t in collector.txs.values() if t["url"] == name]


@pytest.mark.parametrize("pool", [["--pool=solo"], ["--pool=prefork", "--concurrency=2"]],
                         ids=["solo", "prefork"])
def test_each_task_is_a_transaction_with_its_steps(venv, make_home, collector, procs, tmp_path,
                                                   backend, redis_server, pool):  # noqa: F811
    # Debian's `celery` package has the command; python3-celery alone runs as `python3 -m celery`.
    command = [shutil.which("celery") or PYTHON] + ([] if shutil.which("celery") else ["-m", "celery"])
    home = make_home(collector.port, app_process_name="celery")
    env = env_for(venv, home, CELERY_BROKER_URL=redis_server["url"], TEST_DB=str(tmp_path / "orders.sqlite3"),
                  TEST_BACKEND_URL=backend)
    log = str(tmp_path / "worker.log")
    queue = "tasks-" + pool[0].split("=")[1]  # the Redis server is shared: a queue per test
    worker = ["-A", "celery_tasks", "worker", "-Q", queue, "--loglevel=info", "--without-gossip",
              "--without-mingle", "--without-heartbeat"] + pool
    procs.start([os.path.join(venv, "bin", "whatap-start-agent")] + command + worker, env=env, cwd=APPS,
                log_path=log)

    from celery import Celery
    sender = Celery("sender", broker=redis_server["url"])
    sender.send_task("shop.tasks.settle_order", args=(41,), queue=queue)
    sender.send_task("shop.tasks.settle_order", args=(42,), queue=queue)
    sender.send_task("shop.tasks.refund", args=(-5,), queue=queue)
    try:
        collector.wait(lambda c: len(_by_name(c, "shop.tasks.settle_order")) >= 2 and
                       _by_name(c, "shop.tasks.refund"), timeout=60, what="the task transactions")
    except AssertionError:
        with open(log, errors="replace") as f:
            raise AssertionError("worker log:\n%s\nboot log:\n%s\nhook log:\n%s"
                                 % (f.read()[-3000:], boot_log(home), _hook_log(home)))

    settle = _by_name(collector, "shop.tasks.settle_order")[0]
    assert settle["method"] == "TASK" and settle["error"] is None
    kinds = [s["kind"] for s in settle["steps"]]
    sql = [s["text"] for s in settle["steps"] if s["kind"] == "sql"]
    assert "INSERT OR REPLACE INTO orders (id, state) VALUES (?, ?)" in sql
    assert "redis INCR 1 key" in sql or "redis INCRBY 1 key" in sql
    assert "dbc" in kinds
    assert [s["text"] for s in settle["steps"] if s["kind"] == "httpc"] == [backend + "/backend"]

    refund = _by_name(collector, "shop.tasks.refund")[0]
    assert refund["method"] == "TASK"
    assert refund["error"]["class"] == "ValueError" and "amount must be positive" in refund["error"]["message"]
    assert "ERROR shop.refunds: refund of -5 refused" in [s["text"] for s in refund["steps"]
                                                           if s["kind"] == "message"]
    # The worker's own broker traffic (polling the queue) is outside any task: no other transactions.
    assert {t["url"] for t in collector.txs.values()} == {"shop.tasks.settle_order", "shop.tasks.refund"}
