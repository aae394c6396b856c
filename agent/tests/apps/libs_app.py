"""A Flask app using the libraries the agent instruments, for the tests that run it under
gunicorn with whatap-start-agent. Servers come from the environment: MYSQL_URL (SQLAlchemy
URL, pymysql), PG_CONNINFO (psycopg 3), REDIS_URL, TEST_BACKEND_URL."""
import asyncio
import logging
import os

import httpx
import psycopg
import redis
import sqlalchemy
from flask import Flask

app = Flask(__name__)
engine = sqlalchemy.create_engine(os.environ.get("MYSQL_URL", "sqlite://"), future=True)
cache = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
BACKEND = os.environ.get("TEST_BACKEND_URL", "")
log = logging.getLogger("shop.libs")


@app.route("/hello")
def hello():
    return "hello"


@app.route("/orders/<int:order_id>")
def order(order_id):
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS lib_orders (id INT PRIMARY KEY, total INT)")
        conn.exec_driver_sql("REPLACE INTO lib_orders (id, total) VALUES (%s, %s)", (order_id, 99))
        total = conn.execute(sqlalchemy.text("SELECT total FROM lib_orders WHERE id = :id"), {"id": order_id}).scalar()
    with psycopg.connect(os.environ.get("PG_CONNINFO", "")) as pg:
        pg.execute("SELECT %s::int + 1", (order_id,)).fetchone()
    cache.set("order:%d" % order_id, total)
    return str(total)


@app.route("/calls")
def calls():
    async def both():
        async with httpx.AsyncClient() as client:
            return await asyncio.gather(client.get(BACKEND + "/backend?token=t1"), client.get(BACKEND + "/backend"))
    with httpx.Client() as client:
        client.get(BACKEND + "/backend?token=t2")
    asyncio.run(both())
    log.error("payment provider slow for order %s", 7)
    return "called"
