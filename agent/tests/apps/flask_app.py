"""The Flask app the agent tests run under gunicorn and uWSGI."""
import os
import sqlite3
import urllib.request

from flask import Flask, Response, request

import shop_logic

app = Flask(__name__)
DB = os.environ.get("TEST_DB", ":memory:")
BACKEND = os.environ.get("TEST_BACKEND_URL", "")


def db():
    conn = sqlite3.connect(DB)
    conn.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT, price REAL)")
    return conn


@app.route("/hello")
def hello():
    conn = db()
    conn.execute("INSERT INTO items (name, price) VALUES (?, ?)", ("shoes", 42.5))
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM items WHERE name = 'shoes' AND price > 10")
    rows = cur.fetchall()
    conn.commit()
    conn.close()
    status = 0
    if BACKEND:
        with urllib.request.urlopen(BACKEND + "/backend?token=secret123") as r:
            status = r.status
    shop_logic.Pricing.total(3)
    return "hello %d %d pid=%d" % (len(rows) > 0, status, os.getpid())


@app.route("/boom")
def boom():
    raise ValueError("bad id 42")


@app.route("/stream")
def stream():
    import time

    def generate():
        for i in range(3):
            time.sleep(0.1)
            yield "chunk %d\n" % i
        yield "pid=%d" % os.getpid()
    return Response(generate(), mimetype="text/plain")


@app.route("/many")
def many():
    conn = db()
    for i in range(int(request.args.get("n", "50"))):
        conn.execute("SELECT ?", (i,)).fetchone()
    conn.close()
    return "many"


@app.route("/form", methods=["POST"])
def form():
    return "got %s" % request.form.get("card", "")
