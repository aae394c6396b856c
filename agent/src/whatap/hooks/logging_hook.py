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


def _is_tx_error(tx, exc):
    """``exc`` is the transaction's recorded error, whose original text it already keeps."""
    error = tx.error
    return error is not None and error.get("class") == values.error_class(exc)[:200] and \
        error.get("message") == values.text(masking.mask(values.error_message(exc)), 4096)


def add_record(tx, record):
    """The message step of ``record`` in ``tx``: ``LEVEL logger: message (Class: text)`` with
    values masked; the original (when masking changed it) kept only as the step's parameter,
    which the agent process encrypts. An exception that is the transaction's error is not kept
    twice: its original is already with the error."""
    head = "%s %s: %s" % (record.levelname, record.name, record.getMessage())
    exc = record.exc_info[1] if record.exc_info and len(record.exc_info) > 1 else None
    tail = "" if exc is None else " (%s: %s)" % (values.error_class(exc), values.error_message(exc))
    shown_head, shown_tail = masking.mask(head), masking.mask(tail)
    step = tx.add_message(values.text(shown_head + shown_tail, 4096))
    if step is None or not tx.tracer.sql_params:
        return step
    if exc is not None and _is_tx_error(tx, exc):
        tail = shown_tail = ""
    if shown_head + shown_tail != head + tail:
        step["text"] = values.text(step["text"] + " (values masked; the original is in this step's encrypted "
                                   "parameters)", 4096)
        step["p"] = {"error": values.text(head + tail, 4096)}
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
