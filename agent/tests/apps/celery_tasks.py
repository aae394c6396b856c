"""The Celery app the agent tests run a real worker of (redis broker from CELERY_BROKER_URL).
Each task does the kind of work whose steps its transaction should show."""
import logging
import os
import sqlite3
import urllib.request

import redis
from celery import Celery

app = Celery("celery_tasks", broker=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"))
app.conf.update(task_ignore_result=True, worker_hijack_root_logger=False, broker_connection_retry_on_startup=True)
DB = os.environ.get("TEST_DB", ":memory:")
BACKEND = os.environ.get("TEST_BACKEND_URL", "")


@app.task(name="shop.tasks.settle_order")
def settle_order(order_id):
    conn = sqlite3.connect(DB)
    conn.execute("CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, state TEXT)")
    conn.execute("INSERT OR REPLACE INTO orders (id, state) VALUES (?, 'settled')", (order_id,))
    conn.commit()
    conn.close()
    r = redis.Redis.from_url(app.conf.broker_url)
    r.incr("settled")
    if BACKEND:
        urllib.request.urlopen(BACKEND + "/backend?order=%d" % order_id, timeout=10).read()
    return order_id


@app.task(name="shop.tasks.refund")
def refund(amount):
    logging.getLogger("shop.refunds").error("refund of %s refused", amount)
    raise ValueError("amount must be positive")
