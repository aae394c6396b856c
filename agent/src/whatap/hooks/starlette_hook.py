"""Starlette and FastAPI (a Starlette subclass): every app object is traced at its ASGI
entry (``Starlette.__call__``), under uvicorn, gunicorn's UvicornWorker or any ASGI server.
The transaction is named by the matched route's path template (``/items/{item_id}``), with
the templates of the mounts it sits under in front."""
from ..tracer import context
from ..tracer.asgi import trace_asgi_class
from ..tracer.naming import route_of
from . import failed, when_imported


def install(tracer):
    def patch_app(module):
        trace_asgi_class(tracer, module.Starlette)

    def patch_errors(module):
        _record_errors(module.ServerErrorMiddleware)

    def patch_routing(module):
        _name_by(module.Route, "starlette route name", lambda tx, route: _set_route(tx, route.path))
        _name_by(module.Mount, "starlette mount name", _add_prefix)

    when_imported("starlette.applications", patch_app)
    when_imported("starlette.routing", patch_routing)
    when_imported("starlette.middleware.errors", patch_errors)


def _record_errors(cls):
    """The app's unhandled exception goes on the transaction before the middleware's 500
    response ends it (the middleware answers first, then raises it again to the server)."""
    original_init = cls.__init__
    if getattr(original_init, "_whatap", False):
        return

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        inner = self.app

        async def recording(scope, receive, send):
            try:
                return await inner(scope, receive, send)
            except Exception as exc:
                try:
                    tx = context.current()
                    if tx is not None and not tx.done:
                        tx.set_error(exc)
                except Exception as e:
                    failed("starlette error capture", e)
                raise

        self.app = recording

    __init__._whatap = True
    __init__.__wrapped__ = original_init
    cls.__init__ = __init__


def _set_route(tx, path):
    tx.route = route_of(tx.route_prefix, path)


def _add_prefix(tx, mount):
    tx.route_prefix += mount.path


def _name_by(cls, where, note):
    """Wraps ``cls.handle`` (called once the route matched) to note the route on the transaction."""
    original = cls.handle
    if getattr(original, "_whatap", False):
        return

    async def handle(self, scope, receive, send):
        try:
            tx = context.current()
            if tx is not None and not tx.done and scope.get("type") == "http":
                note(tx, self)
        except Exception as e:
            failed(where, e)
        return await original(self, scope, receive, send)

    handle._whatap = True
    handle.__wrapped__ = original
    cls.handle = handle
