"""Django: the WSGI handler is traced; unhandled view exceptions come from the
``got_request_exception`` signal; the transaction is named by the resolved URL pattern
(``items/<int:pk>``, ``re_path`` patterns without their ``^``/``$`` anchors)."""
import sys

from ..tracer import context, values
from ..tracer.naming import route_of
from ..tracer.wsgi import trace_wsgi_class
from . import failed, when_imported


def install(tracer):
    def patch_wsgi(module):
        trace_wsgi_class(tracer, module.WSGIHandler)

    def patch_base(module):
        base = module.BaseHandler
        original = base.get_response
        if getattr(original, "_whatap", False):
            return

        def get_response(self, request):
            response = original(self, request)
            tx = context.current()
            if tx is not None and not tx.done:
                _name(tx, request)
                if tx.tracer.http_params:
                    _form_params(tx, request)
            return response

        get_response._whatap = True
        base.get_response = get_response

    def patch_signals(module):
        def on_exception(sender, request=None, **kwargs):
            try:  # Signal.send() would hand our exception to Django
                tx = context.current()
                exc = sys.exc_info()[1]
                if tx is not None and exc is not None:
                    tx.set_error(exc)
            except Exception as e:
                failed("django error capture", e)

        module.got_request_exception.connect(on_exception, weak=False,
                                             dispatch_uid="whatap.got_request_exception")

    when_imported("django.core.handlers.wsgi", patch_wsgi)
    when_imported("django.core.handlers.base", patch_base)
    when_imported("django.core.signals", patch_signals)


def _name(tx, request):
    try:
        match = getattr(request, "resolver_match", None)
        route = getattr(match, "route", None) if match is not None else None
        if route:
            if route.startswith("^"):
                route = route[1:]
            if route.endswith("$") and not route.endswith("\\$"):
                route = route[:-1]
            script = request.path[:len(request.path) - len(request.path_info)] if \
                request.path.endswith(request.path_info) else ""
            tx.route = route_of(script.rstrip("/") + "/", route.lstrip("/")) if script else route_of("", route)
    except Exception as e:
        failed("django route name", e)


def _form_params(tx, request):
    try:
        post = request.__dict__.get("_post")
        if post:
            tx.add_params(values.http_params((k, v) for k, vs in post.lists() for v in vs))
    except Exception as e:
        failed("django form parameters", e)
