"""Log records at ERROR and above, logged inside a transaction, become its ``message`` steps
(``trace_logging_enabled``, default true): ``ERROR shop.payments: card declined``.

The hook is on ``logging.Logger.callHandlers``, which a record reaches once it passed its
logger's level and filters: records count whatever handlers the app set up (or none) and
whether they propagate. Values that error texts quote (SQL rows, keys, query
strings) are masked as in error steps; the original text is kept only encrypted, under
``profile_sql_param_enabled``, like an error's.
"""
import logging

from ..tracer import context, masking, values
from . import failed, when_imported

def _text(record):
    message = record.getMessage()
    text = "%s %s: %s" % (record.levelname, record.name, message)
    exc = record.exc_info[1] if record.exc_info and len(record.exc_info) > 1 else None
    if exc is not None:
        text += " (%s: %s)" % (values.error_class(exc), values.error_message(exc))
    return text


def add_record(tx, record):
    """The message step of ``record`` in ``tx``: masked text, the original kept encrypted."""
    text = _text(record)
    shown = masking.mask(text)
    step = tx.add_message(values.text(shown, 4096))
    if step is not None and shown != text and tx.tracer.sql_params:
        step["text"] = values.text(shown + " (values masked; the original is in this step's encrypted "
                                   "parameters)", 4096)
        step["p"] = {"error": values.text(text, 4096)}
    return step


def patch(module):
    cls = module.Logger
    original = cls.__dict__.get("callHandlers")
    if original is None or getattr(original, "_whatap", False):
        return

    def callHandlers(self, record):
        if record.levelno >= logging.ERROR:
            tx = context.current()
            if tx is not None and not tx.done:
                try:
                    if tx.tracer.conf["trace_logging_enabled"]:
                        add_record(tx, record)
                except Exception as e:
                    failed("log record step", e)
        return original(self, record)

    callHandlers._whatap = True
    callHandlers.__wrapped__ = original
    cls.callHandlers = callHandlers


def install(tracer):
    when_imported("logging", patch)
