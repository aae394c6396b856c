"""Celery tasks as transactions, through Celery's task signals.

In a worker each task run is a transaction named by the task (``shop.tasks.send_invoice``),
method ``TASK``, from ``task_prerun`` to ``task_postrun``; its SQL, Redis and HTTP calls are
its steps, and an exception that fails the task (``task_failure``) is its error. A task run
inside a transaction that is already going (``task.apply()`` or eager mode in a web request)
adds its steps to that transaction instead.

A task sent from inside a transaction carries its ``traceparent`` (and ``tracestate``) in the
message headers, naming the sending transaction's span: the task run joins that trace as its child.
"""
from ..tracer import context, trace_context
from . import failed, when_imported

METHOD = "TASK"
_tracer = [None]
_running = {}  # task id -> (transaction, context token)


def _prerun(sender=None, task_id=None, task=None, **kwargs):
    try:
        tracer = _tracer[0]
        current = context.current()
        if tracer is None or (current is not None and not current.done):
            return
        name = getattr(task, "name", None) or getattr(sender, "name", None) or "celery task"
        request = getattr(task, "request", None)  # Celery puts the message's headers on it
        tx = tracer.begin(name, METHOD, traceparent=getattr(request, "traceparent", None),
                          tracestate=getattr(request, "tracestate", None))
        if tx is None:
            return
        _running[task_id] = (tx, context.set_current(tx))
    except Exception as e:
        failed("celery task start", e)


def _failure(sender=None, task_id=None, exception=None, **kwargs):
    try:
        running = _running.get(task_id)
        if running is not None and exception is not None:
            running[0].set_error(exception)
    except Exception as e:
        failed("celery task error", e)


def _postrun(sender=None, task_id=None, **kwargs):
    running = _running.pop(task_id, None)
    if running is None:
        return
    tx, token = running
    try:
        _tracer[0].finish(tx)
    except Exception as e:
        failed("celery task finish", e)
    try:
        context.reset_current(token)
    except ValueError:  # ended in another context than it began: clear ours
        context.set_current(None)
    except Exception as e:
        failed("celery task context", e)


def _before_publish(sender=None, headers=None, **kwargs):
    """Adds the sending transaction's trace context to the task message's headers."""
    try:
        tx = context.current()
        if tx is None or tx.done or headers is None or tx.span_id is None or not tx.tracer.mtrace:
            return
        headers["traceparent"] = trace_context.traceparent(tx.trace_id, tx.span_id)
        if tx.tracestate:
            headers["tracestate"] = tx.tracestate
    except Exception as e:
        failed("celery trace context", e)


def patch(signals):
    if getattr(signals, "_whatap_traced", False):
        return
    signals.task_prerun.connect(_prerun, weak=False, dispatch_uid="whatap-task-prerun")
    signals.task_failure.connect(_failure, weak=False, dispatch_uid="whatap-task-failure")
    signals.task_postrun.connect(_postrun, weak=False, dispatch_uid="whatap-task-postrun")
    signals.before_task_publish.connect(_before_publish, weak=False, dispatch_uid="whatap-task-publish")
    signals._whatap_traced = True


def install(tracer):
    _tracer[0] = tracer
    when_imported("celery.signals", patch)
