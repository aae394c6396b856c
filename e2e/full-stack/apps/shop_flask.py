"""The Flask shop the full-stack suite runs under gunicorn (2 workers) with whatap-start-agent.

Every route does SQLite queries with bind values and calls the local inventory service over
HTTP, so a transaction has SQL and HTTP-call steps whose values are only collected encrypted.
"""
import os
import sqlite3
import time
import urllib.request

from flask import Flask, jsonify, request

app = Flask(__name__)
DB = os.environ["SHOP_DB"]
INVENTORY = os.environ["SHOP_INVENTORY_URL"]


def db():
    conn = sqlite3.connect(DB, timeout=10)
    conn.execute("CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY, name TEXT, page INTEGER)")
    return conn


def stock(sku):
    # The query string is a parameter too: the agent keeps only the URL's path.
    with urllib.request.urlopen("%s/stock?sku=%s" % (INVENTORY, sku), timeout=5) as r:
        return r.status


@app.route("/search")
def search():
    q = request.args.get("q", "")
    page = int(request.args.get("page", "1"))
    conn = db()
    conn.execute("INSERT INTO products (name, page) VALUES (?, ?)", (q, page))
    rows = conn.execute("SELECT id, name FROM products WHERE name = ? AND page >= ? LIMIT 20", (q, page)).fetchall()
    conn.commit()
    conn.close()
    return jsonify(results=len(rows), stock=stock(q), pid=os.getpid())


@app.route("/report")
def report():
    month = request.args.get("month", "")
    conn = db()
    conn.execute("SELECT count(*) FROM products WHERE name <> ?", (month,)).fetchone()
    conn.close()
    time.sleep(1.1)  # a slow transaction
    return jsonify(month=month, stock=stock("report"), pid=os.getpid())


@app.route("/checkout")
def checkout():
    card = request.args.get("card", "")
    conn = db()
    conn.execute("SELECT id FROM products WHERE name = ?", (card,)).fetchall()
    conn.close()
    stock("checkout")
    # The message is stored in clear: it must not carry the parameter.
    raise RuntimeError("the payment gateway declined the order")
