"""W3C Trace Context (https://www.w3.org/TR/trace-context/): reading an incoming ``traceparent``
and writing the one an outgoing HTTP call carries.

A transaction belongs to one trace (32 hex digits) and is one span (16 hex digits); an HTTP
call it makes is a span of its own, whose id the callee records as its parent. A header that
is not exactly what the specification allows is ignored: the transaction starts a new trace.
"""
import random
import re
from urllib.parse import urlsplit

from ..hooks import failed

# version "-" trace-id "-" parent-id "-" flags; lowercase hex only. A later version may append
# fields after a "-": its first 55 characters are read as version 00's.
_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?\Z")
_ZERO_TRACE = "0" * 32
_ZERO_SPAN = "0" * 16
# tracestate is passed through as received, within the specification's size (32 entries of at most 256 bytes).
MAX_TRACESTATE = 8192


def parse(header):
    """``(trace_id, parent_span_id)`` of a valid ``traceparent``, else None."""
    if not header or not isinstance(header, str) or len(header) < 55:
        return None
    m = _TRACEPARENT.match(header.strip(" \t"))
    if m is None:
        return None
    version, trace_id, parent, _flags, rest = m.groups()
    if version == "ff" or (version == "00" and rest is not None):
        return None
    if trace_id == _ZERO_TRACE or parent == _ZERO_SPAN:
        return None
    return trace_id, parent


def clean_tracestate(value):
    """The incoming ``tracestate`` to pass on, or None (absent, empty or oversized)."""
    if not value or not isinstance(value, str) or len(value) > MAX_TRACESTATE:
        return None
    value = value.strip(" \t")
    return value if value and value.isascii() and value.isprintable() else None


def new_trace_id():
    while True:
        value = "%032x" % random.getrandbits(128)
        if value != _ZERO_TRACE:
            return value


def new_span_id():
    while True:
        value = "%016x" % random.getrandbits(64)
        if value != _ZERO_SPAN:
            return value


def traceparent(trace_id, span_id):
    """The header of a call made as span ``span_id`` of ``trace_id`` (sampled: every transaction is kept)."""
    return "00-%s-%s-01" % (trace_id, span_id)


def outgoing(tx, url):
    """``(span_id, [(name, value)…])`` for an HTTP call to ``url`` made inside ``tx``, or None when
    nothing is to be sent: propagation off (``mtrace_enabled=false``), the host listed in
    ``mtrace_skip_hosts``, or a transaction without a trace. Never raises."""
    try:
        tracer = tx.tracer
        if not tracer.mtrace or tx.trace_id is None:
            return None
        if tracer.mtrace_skip_hosts:
            host = (urlsplit(url).hostname or "").lower()
            if host in tracer.mtrace_skip_hosts:
                return None
        span_id = new_span_id()
        headers = [("traceparent", traceparent(tx.trace_id, span_id))]
        if tx.tracestate:
            headers.append(("tracestate", tx.tracestate))
        return span_id, headers
    except Exception as e:
        failed("trace context", e)
        return None
