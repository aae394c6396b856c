"""Articles with SQLite queries (bind values) and a call to the local inventory service."""
import os
import time
import urllib.request

from django.db import connection
from django.http import JsonResponse
from django.urls import path

INVENTORY = os.environ["BLOG_INVENTORY_URL"]


def notify(what):
    with urllib.request.urlopen("%s/stock?sku=%s" % (INVENTORY, what), timeout=5) as r:
        return r.status


def articles(request):
    tag = request.GET.get("tag", "")
    author = request.GET.get("author", "")
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS articles (id INTEGER PRIMARY KEY, tag TEXT, author TEXT)")
        cur.execute("INSERT INTO articles (tag, author) VALUES (%s, %s)", [tag, author])
        cur.execute("SELECT id, tag FROM articles WHERE tag = %s AND author = %s", [tag, author])
        rows = cur.fetchall()
    return JsonResponse({"results": len(rows), "notified": notify(tag), "pid": os.getpid()})


def archive(request):
    year = request.GET.get("year", "")
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS articles (id INTEGER PRIMARY KEY, tag TEXT, author TEXT)")
        cur.execute("SELECT count(*) FROM articles WHERE tag <> %s", [year])
        cur.fetchone()
    time.sleep(1.1)  # a slow transaction
    return JsonResponse({"year": year, "notified": notify("archive"), "pid": os.getpid()})


def comment(request):
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS articles (id INTEGER PRIMARY KEY, tag TEXT, author TEXT)")
        cur.execute("SELECT id FROM articles WHERE author = %s", [request.GET.get("author", "")])
        cur.fetchall()
    notify("comment")
    raise LookupError("the comment thread is closed")


urlpatterns = [path("articles", articles), path("archive", archive), path("comment", comment)]
