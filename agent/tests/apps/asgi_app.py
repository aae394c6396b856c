"""The FastAPI app (with a Starlette app mounted in it) the ASGI tests run under uvicorn and
gunicorn's UvicornWorker."""
import asyncio
import os
import sqlite3
import time

from fastapi import FastAPI, WebSocket
from fastapi.responses import PlainTextResponse, StreamingResponse
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.responses import PlainTextResponse as StarletteText
from starlette.routing import Route

app = FastAPI()


def query(conn, sql):
    return conn.execute(sql).fetchall()


@app.get("/hello", response_class=PlainTextResponse)
async def hello():
    return "hello pid=%d" % os.getpid()


@app.get("/items/{item_id}", response_class=PlainTextResponse)
async def item(item_id: int):
    """Two queries carrying the request's id with an await between them: other requests run there."""
    conn = sqlite3.connect(":memory:")
    query(conn, "SELECT 1 AS req_%d_a" % item_id)
    await asyncio.sleep(0.05)
    query(conn, "SELECT 2 AS req_%d_b" % item_id)
    conn.close()
    return "item %d pid=%d" % (item_id, os.getpid())


@app.get("/stream")
async def stream():
    async def chunks():
        for i in range(3):
            await asyncio.sleep(0.1)
            yield "chunk %d\n" % i
    return StreamingResponse(chunks(), media_type="text/plain")


@app.get("/boom")
async def boom():
    raise ValueError("bad id 42")


def after_response(tag):
    conn = sqlite3.connect(":memory:")
    query(conn, "SELECT 3 AS background_%s" % tag)
    conn.close()


@app.get("/later/{tag}")
async def later(tag: str):
    return PlainTextResponse("queued", background=BackgroundTask(after_response, tag))


@app.get("/cpu/{ms}", response_class=PlainTextResponse)
async def cpu(ms: int):
    """Burns ``ms`` of this thread's CPU, then awaits while other requests burn theirs."""
    end = time.thread_time() + ms / 1000.0
    while time.thread_time() < end:
        pass
    await asyncio.sleep(0.3)
    return "burnt %d" % ms


@app.get("/wait/{seconds}", response_class=PlainTextResponse)
async def wait(seconds: float):
    await asyncio.sleep(seconds)
    return "waited"


@app.get("/slowstream")
async def slowstream():
    async def chunks():
        for i in range(20):
            yield "chunk %d\n" % i
            await asyncio.sleep(0.5)
    return StreamingResponse(chunks(), media_type="text/plain")


@app.websocket("/ws")
async def echo(websocket: WebSocket):
    await websocket.accept()
    text = await websocket.receive_text()
    conn = sqlite3.connect(":memory:")
    query(conn, "SELECT 4 AS in_websocket")  # no transaction: recorded nowhere
    conn.close()
    await websocket.send_text("echo " + text)
    await websocket.close()


async def star_user(request):
    return StarletteText("user %s" % request.path_params["uid"])


app.mount("/star", Starlette(routes=[Route("/users/{uid}", star_user)]))
