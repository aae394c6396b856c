"""A plain ASGI app, no framework: traced under uvicorn by the uvicorn hook."""


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"raw " + scope["path"].encode()})
