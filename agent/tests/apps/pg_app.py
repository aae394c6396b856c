"""A Flask app on PostgreSQL whose inserts break constraints (the error-masking end-to-end test).
PG_DSN names the database. The distinctive values are constants, so neither a URL nor a
traceback's source line carries them: only the database's error text does."""
import os

import psycopg2
from flask import Flask

app = Flask(__name__)
DSN = os.environ.get("PG_DSN", "")
NO_NAME = ("probeA-7731", None)
TAKEN = ("probeU-7731", "u")


def db():
    conn = psycopg2.connect(DSN)
    conn.autocommit = True
    return conn


@app.route("/signup")
def signup():
    """A NOT NULL violation the app does not handle: Flask answers 500."""
    conn = db()
    try:
        conn.cursor().execute("INSERT INTO members (email, name) VALUES (%s, %s)", NO_NAME)
    finally:
        conn.close()
    return "created"


@app.route("/again")
def again():
    """A UNIQUE violation the app handles itself: 409."""
    conn = db()
    try:
        conn.cursor().execute("INSERT INTO members (email, name) VALUES (%s, %s)", TAKEN)
    except psycopg2.errors.UniqueViolation:
        return "already a member", 409
    finally:
        conn.close()
    return "created"
