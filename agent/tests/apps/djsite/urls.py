import os
import urllib.request

from django.db import connection
from django.http import HttpResponse
from django.urls import path


def hello(request):
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)")
        cur.execute("INSERT INTO notes (body) VALUES (%s)", ["hi"])
        cur.execute("SELECT id, body FROM notes WHERE body = %s AND id > 0", ["hi"])
        rows = cur.fetchall()
    backend = os.environ.get("TEST_BACKEND_URL", "")
    status = 0
    if backend:
        with urllib.request.urlopen(backend + "/backend") as r:
            status = r.status
    return HttpResponse("django %d %d pid=%d" % (len(rows) > 0, status, os.getpid()))


def boom(request):
    raise KeyError("missing")


urlpatterns = [path("hello", hello), path("boom", boom)]
