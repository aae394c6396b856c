"""Flask: every app object is traced at its WSGI entry (``Flask.__call__``); the transaction
is named by the matched URL rule (``/items/<int:item_id>``)."""
from ..tracer import context, values
from ..tracer.naming import route_of
from ..tracer.wsgi import trace_wsgi_class
from . import failed, when_imported


def install(tracer):
    def patch(module):
        flask_cls = module.Flask
        if getattr(flask_cls.__call__, "_whatap", False):
            return
        trace_wsgi_class(tracer, flask_cls)

        original_handle = flask_cls.handle_exception

        def handle_exception(self, e):
            try:
                tx = context.current()
                if tx is not None:
                    tx.set_error(e)
            except Exception as failure:
                failed("flask error capture", failure)
            return original_handle(self, e)

        flask_cls.handle_exception = handle_exception

        original_teardown = flask_cls.do_teardown_request

        def do_teardown_request(self, *args, **kwargs):
            tx = context.current()
            if tx is not None and not tx.done:
                _name(tx)
                if tx.tracer.http_params:
                    _form_params(tx)
            return original_teardown(self, *args, **kwargs)

        flask_cls.do_teardown_request = do_teardown_request

    when_imported("flask.app", patch)


def _name(tx):
    try:
        request = _current_request()
        rule = request.url_rule if request is not None else None
        if rule is not None:
            tx.route = route_of(request.environ.get("SCRIPT_NAME", ""), rule.rule)
    except Exception as e:
        failed("flask route name", e)


def _current_request():
    """The request being handled, without the proxy (this runs on every request)."""
    global _current_request
    try:
        from flask.globals import _cv_request  # Flask 2.2+

        def current():
            ctx = _cv_request.get(None)
            return ctx.request if ctx is not None else None
    except ImportError:
        from flask import request

        def current():
            return request._get_current_object()
    _current_request = current
    return current()


def _form_params(tx):
    """Form fields the app already parsed (we never read the body ourselves)."""
    try:
        from flask import request
        form = request.__dict__.get("form")
        if form:
            tx.add_params(values.http_params(form.items(multi=True)))
    except Exception as e:
        failed("flask form parameters", e)
