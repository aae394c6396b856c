"""Turning app values into bounded, JSON-safe ones (parameters, texts, stacks)."""
import os
import traceback

from ..wire_model import MAX_TEXT

TEXT_LIMIT = MAX_TEXT     # the protocol's limit per text field (the agent clamps UTF-16 units, sanitize.py)
VALUE_LIMIT = 256
MAX_VALUES = 32
MAX_NAMES = 64
_AGENT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def text(value, limit=TEXT_LIMIT):
    """At most ``limit`` characters, saying so when cut."""
    value = value if isinstance(value, str) else str(value)
    return value if len(value) <= limit else value[:max(limit - 14, 0)] + "...(truncated)"


def scalar(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value if len(value) <= VALUE_LIMIT else value[:VALUE_LIMIT] + "..."
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "<%d bytes>" % len(value)
    try:
        return text(repr(value), VALUE_LIMIT)
    except Exception:
        return "<%s>" % type(value).__name__


def bind_values(params):
    """DB-API parameters (sequence or mapping) as a short list of JSON-safe values."""
    if params is None:
        return []
    if isinstance(params, dict):
        items = list(params.values())
    elif isinstance(params, (list, tuple)):
        items = list(params)
    else:
        try:
            items = list(params)
        except TypeError:
            items = [params]
    return [scalar(v) for v in items[:MAX_VALUES]]


def http_params(pairs):
    """name -> list of values, bounded."""
    out = {}
    for name, value in pairs:
        name = text(name, VALUE_LIMIT)
        if name not in out:
            if len(out) >= MAX_NAMES:
                continue
            out[name] = []
        if len(out[name]) < MAX_VALUES:
            out[name].append(scalar(value))
    return out


def error_class(exc):
    cls = type(exc)
    module = getattr(cls, "__module__", "")
    name = getattr(cls, "__qualname__", cls.__name__)
    return name if module in ("builtins", "__main__", None, "") else "%s.%s" % (module, name)


def error_message(exc):
    try:
        return str(exc)
    except Exception:
        return "<unprintable %s>" % type(exc).__name__


def error_info(exc, clean=None):
    """``{class, message, stack}`` with the agent's own frames removed from the stack;
    ``clean`` (masking) sees the texts before they are cut to length."""
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if not f.filename.startswith(_AGENT_DIR + os.sep)]
        lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames)
        lines += traceback.format_exception_only(type(exc), exc)
        stack = "".join(lines)
    except Exception:
        stack = ""
    message = error_message(exc)
    if clean is not None:
        message, stack = clean(message), clean(stack)
    return {"class": text(error_class(exc), 200), "message": text(message, 4096), "stack": text(stack)}
