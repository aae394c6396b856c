"""Tapscope's Python agent, compatible with the WhaTap Python agent's commands and files.

``import whatap`` starts the tracer for ``$WHATAP_HOME`` (set it first, e.g. with
``os.environ.setdefault("WHATAP_HOME", ...)``); ``@whatap.register_app`` traces any WSGI or
ASGI app.
"""
import functools
import inspect
import os
import sys

from .version import __version__

__all__ = ["__version__", "register_app", "message"]


def register_app(app):
    """Wraps a WSGI callable or an ASGI 3 app (``async def app(scope, receive, send)``, or an
    object whose ``__call__`` is one) so each HTTP request is a transaction (any framework).

    Without WHATAP_HOME in the process environment (Apache mod_wsgi passes ``SetEnv`` values
    in each request's environ instead), a WSGI app's tracer starts at the first request that
    has it; an ASGI app's at its first request, from the working directory's whatap.conf.
    """
    from .tracer import boot
    if boot.home_known():
        boot.boot("register_app")
    if _is_asgi(app):
        return _register_asgi(app)
    from .tracer.wsgi import trace_call

    def whatap_app(environ, start_response):
        if not boot.booted():
            boot.boot_from_environ(environ)
        return trace_call(boot.tracer(), app, environ, start_response)

    try:
        functools.update_wrapper(whatap_app, app)
    except Exception:
        pass
    whatap_app.__wrapped__ = app
    return whatap_app


def _is_asgi(app):
    if inspect.iscoroutinefunction(app):
        return True
    call = getattr(type(app), "__call__", None)
    return not inspect.isfunction(app) and inspect.iscoroutinefunction(call)


def _register_asgi(app):
    from .tracer import boot
    from .tracer.asgi import trace_asgi

    async def whatap_asgi_app(scope, receive, send):
        if not boot.booted() and scope.get("type") == "http":
            boot.boot("register_app")
        return await trace_asgi(boot.tracer(), app, scope, receive, send)

    if inspect.isfunction(app):  # an app object's attributes stay on the object
        functools.update_wrapper(whatap_asgi_app, app)
    whatap_asgi_app.__wrapped__ = app
    return whatap_asgi_app


def message(text):
    """Adds a ``message`` step to the current transaction (no-op outside one)."""
    try:
        from .tracer.context import current
        tx = current()
        if tx is not None and not tx.done:
            tx.add_message(str(text))
    except Exception:
        pass


def _autoboot():
    # The agent process and the commands import this package too; they trace nothing.
    if os.environ.get("WHATAP_AUTOBOOT", "1") == "0":
        return
    if os.environ.get("WHATAP_PYTHON_ROLE") in ("agent", "cli"):
        return
    argv0 = os.path.basename(sys.argv[0]) if getattr(sys, "argv", None) else ""
    if argv0.startswith("whatap-"):
        return
    from .tracer import boot
    if boot.home_known():  # else wait for register_app's first request (mod_wsgi SetEnv)
        boot.boot("import whatap")


_autoboot()
