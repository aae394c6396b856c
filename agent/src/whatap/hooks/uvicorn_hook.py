"""uvicorn (and gunicorn's UvicornWorker, which uses uvicorn's Config): the loaded ASGI app,
whatever its framework, is traced at its entry, so ``whatap-start-agent uvicorn app:app``
traces a plain ASGI app too. A Starlette or FastAPI app inside sees the running transaction
and names it by its route (starlette_hook). ``--interface wsgi`` apps are left to their WSGI
framework's hook (uvicorn runs them in threads without the request's context)."""
from ..tracer.asgi import trace_asgi
from . import when_imported


def install(tracer):
    def patch(module):
        config = module.Config
        original = config.load
        if getattr(original, "_whatap", False):
            return

        def load(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            if self.interface != "wsgi" and not getattr(self.loaded_app, "_whatap", False):
                self.loaded_app = _traced(tracer, self.loaded_app)
            return result

        load._whatap = True
        load.__wrapped__ = original
        config.load = load

    when_imported("uvicorn.config", patch)


def _traced(tracer, app):
    async def whatap_uvicorn_app(scope, receive, send):
        return await trace_asgi(tracer, app, scope, receive, send)

    whatap_uvicorn_app._whatap = True
    whatap_uvicorn_app.__wrapped__ = app
    return whatap_uvicorn_app
