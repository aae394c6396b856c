"""A plain WSGI app using @whatap.register_app (WHATAP_HOME set in code, before import)."""
import os
import sqlite3

os.environ.setdefault("WHATAP_HOME", os.environ.get("TEST_WHATAP_HOME", "/nonexistent"))
import whatap  # noqa: E402


@whatap.register_app
def application(environ, start_response):
    conn = sqlite3.connect(":memory:")
    conn.execute("SELECT 1").fetchone()
    conn.close()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"plain wsgi\n"]
