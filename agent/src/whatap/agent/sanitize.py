"""Clamps what arrives over UDP to docs/protocol.md's limits, so one odd transaction can never
get a whole batch REJECTed by the collector. Anything may send to the UDP port.

Error texts are masked again (tracer/masking.py): a tracer of an older version, or anything
else that sends here, must not get a bind value into the collector in clear."""
import math
import re

from ..tracer.masking import mask
from ..wire_model import (MAX_DEPTH, MAX_METHOD, MAX_SHORT, MAX_STATUS, MAX_STEPS, MAX_TEXT, MAX_URL,
                          MAX_USER_AGENT, SPAN_ID_PATTERN, STEP_KINDS, TRACE_ID_PATTERN, TXID_PATTERN)

_TXID = re.compile(TXID_PATTERN)
_TRACE_IDS = (("traceId", re.compile(TRACE_ID_PATTERN)), ("spanId", re.compile(SPAN_ID_PATTERN)),
              ("parentSpanId", re.compile(SPAN_ID_PATTERN)))
_KINDS = frozenset(STEP_KINDS)


def _num(value, nonneg=True):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return 0.0
    return max(value, 0.0) if nonneg else value


def _count(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return 0
    return int(min(value, 2 ** 53 - 1))


def _str(value, limit, default=""):
    """At most ``limit`` UTF-16 code units, as the collector counts a string's length: a
    character outside the BMP counts twice."""
    if value is None:
        return default
    if not isinstance(value, str):
        value = str(value)
    if len(value) * 2 <= limit:
        return value
    units = value.encode("utf-16-le", "surrogatepass")
    if len(units) <= 2 * limit:
        return value
    cut = units[:2 * limit]
    if 0xD8 <= cut[-1] <= 0xDB:  # never keep half of a surrogate pair
        cut = cut[:-2]
    return cut.decode("utf-16-le", "surrogatepass")


def _error_text(value, limit, default=""):
    return _str(mask(_str(value, 2 * limit, default)), limit)


def _status(value, nullable=False):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_STATUS:
        return None if nullable else 0
    return value


def _step(raw):
    if not isinstance(raw, dict) or raw.get("kind") not in _KINDS:
        return None
    step = {"kind": raw["kind"], "start": _num(raw.get("start"), nonneg=False), "elapsed": _num(raw.get("elapsed")),
            "text": _str(raw.get("text"), MAX_TEXT)}
    if raw.get("fetch") is not None:
        step["fetch"] = _count(raw.get("fetch"))
    if raw.get("status") is not None:
        step["status"] = _status(raw.get("status"), nullable=True)
    if raw.get("error") is not None:
        step["error"] = _error_text(raw.get("error"), MAX_TEXT)
    depth = raw.get("depth")
    if isinstance(depth, int) and not isinstance(depth, bool):
        step["depth"] = min(max(depth, 0), MAX_DEPTH)
    if "p" in raw:
        step["p"] = raw["p"]
    if "params" in raw:
        step["params"] = None  # only the agent writes envelopes
    span = raw.get("spanId")
    if isinstance(span, str) and _TRACE_IDS[1][1].fullmatch(span):
        step["spanId"] = span
    return step


def clean_tx(raw):
    """A transaction within the protocol's limits, or None when it cannot be one (no valid txid)."""
    txid = raw.get("txid")
    if not isinstance(txid, str) or not _TXID.match(txid):
        return None
    error = raw.get("error")
    if isinstance(error, dict):
        error = {"class": _str(error.get("class"), MAX_SHORT, "Error"),
                 "message": _error_text(error.get("message"), MAX_TEXT), "stack": _error_text(error.get("stack"), MAX_TEXT)}
    else:
        error = None
    steps = []
    raw_steps = raw.get("steps")
    for item in raw_steps if isinstance(raw_steps, list) else ():
        step = _step(item)
        if step is not None:
            steps.append(step)
    if len(steps) > MAX_STEPS:
        extra = len(steps) - (MAX_STEPS - 1)
        steps = steps[:MAX_STEPS - 1] + [{"kind": "truncated", "start": steps[MAX_STEPS - 1]["start"],
                                          "elapsed": 0, "text": "%d more steps not recorded" % extra}]
    tx = {"txid": txid, "start": _num(raw.get("start")), "end": _num(raw.get("end")),
          "elapsed": _num(raw.get("elapsed")), "url": _str(raw.get("url"), MAX_URL, "/"),
          "method": _str(raw.get("method"), MAX_METHOD, "GET"), "status": _status(raw.get("status")), "error": error,
          "clientIp": _str(raw.get("clientIp"), MAX_SHORT), "userAgent": _str(raw.get("userAgent"), MAX_USER_AGENT),
          "cpu": _num(raw.get("cpu")), "sqlCount": _count(raw.get("sqlCount")), "sqlTime": _num(raw.get("sqlTime")),
          "httpcCount": _count(raw.get("httpcCount")), "httpcTime": _num(raw.get("httpcTime")), "steps": steps}
    if "p" in raw:
        tx["p"] = raw["p"]
    for name, pattern in _TRACE_IDS:  # an invalid id is left out, not the transaction
        value = raw.get(name)
        if isinstance(value, str) and pattern.fullmatch(value):
            tx[name] = value
    return tx


_COUNTER_NUMS = ("tps", "respTime", "cpu", "mem", "sqlTime", "httpcTime")
_COUNTER_COUNTS = ("txCount", "txError", "sqlCount", "httpcCount", "dropped")


def clean_counter(raw, pid):
    counter = {"time": _num(raw.get("time")), "pid": pid}
    for name in _COUNTER_NUMS:
        counter[name] = _num(raw.get(name))
    for name in _COUNTER_COUNTS:
        counter[name] = _count(raw.get(name))
    bands = raw.get("activeBands")
    counter["activeBands"] = [_count(b) for b in bands[:3]] if isinstance(bands, list) and len(bands) >= 3 \
        else [0, 0, 0]
    apdex = raw.get("apdex")
    counter["apdex"] = min(max(apdex, 0.0), 1.0) if isinstance(apdex, (int, float)) and not isinstance(apdex, bool) \
        and math.isfinite(apdex) else None
    return counter
