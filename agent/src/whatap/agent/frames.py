"""Frames of docs/protocol.md: uint32 big-endian length, uint8 type, UTF-8 JSON body."""
import json
import math
import struct

HELLO, WELCOME, REFUSE = 0x01, 0x02, 0x03
TX_BATCH, COUNTERS, HEARTBEAT = 0x10, 0x11, 0x12
ACK, BUSY, ERROR, REJECT = 0x20, 0x21, 0x22, 0x23

MAX_INCOMING = 8 << 20
_LEN = struct.Struct(">I")


def frame(kind, body):
    """``body`` is a dict or already-encoded JSON bytes."""
    if not isinstance(body, (bytes, bytearray)):
        body = json.dumps(body, separators=(",", ":")).encode("utf-8")
    return _LEN.pack(len(body) + 1) + bytes((kind,)) + body


class FrameReader:
    """Accumulates bytes and yields ``(type, dict)`` frames."""

    def __init__(self):
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data
        out = []
        while len(self.buf) >= 5:
            (length,) = _LEN.unpack_from(self.buf)
            if length < 1 or length > MAX_INCOMING:
                raise ValueError("bad frame length %d" % length)
            if len(self.buf) < 4 + length:
                break
            kind = self.buf[4]
            body = bytes(self.buf[5:4 + length])
            del self.buf[:4 + length]
            try:
                obj = json.loads(body.decode("utf-8")) if body else {}
            except ValueError:
                raise ValueError("frame 0x%02x with a body that is not JSON" % kind)
            if not isinstance(obj, dict):
                raise ValueError("frame 0x%02x with a body that is not a JSON object" % kind)
            out.append((kind, obj))
        return out


# -- what the collector sends, checked field by field -------------------------------------------
# The link trusts nothing the collector says: every field it reads goes through one of these
# parsers, which raise BadFrame naming the field instead of letting a TypeError stop the thread.

class BadFrame(ValueError):
    """A collector frame whose field has the wrong type or range."""


def _number(body, name, default=None, low=None, high=None, integer=True):
    value = body.get(name, default)
    if value is None:
        raise BadFrame("field %r is missing" % name)
    # bool is an int in Python: `seq: true` must not match batch 1. NaN and infinities are refused.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or (integer and int(value) != value):
        raise BadFrame("field %r is not %s: %s" % (name, "an integer" if integer else "a number", _show(value)))
    if (low is not None and value < low) or (high is not None and value > high):
        raise BadFrame("field %r is out of range: %s" % (name, _show(value)))
    return int(value) if integer else float(value)


def _text(body, name, default=""):
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise BadFrame("field %r is not text: %s" % (name, _show(value)))
    return str(value)[:300]


def _show(value):
    return ("%r" % (value,))[:40]


def welcome(body):
    """WELCOME -> dict of the session's limits, with the documented defaults."""
    return {
        "pcode": _text(body, "pcode"),
        "agentId": _text(body, "agentId"),
        "objectName": _text(body, "objectName"),
        "heartbeatMs": _number(body, "heartbeatMs", 10000, 1000, 3600 * 1000),
        "maxBatch": _number(body, "maxBatch", 1000, 1, 1 << 20),
        "maxFrame": _number(body, "maxFrame", 8 << 20, 4096, 1 << 30),
    }


def seq(body):
    """The batch number of ACK, BUSY and REJECT."""
    return _number(body, "seq", low=0)


def retry_after(body):
    """BUSY's delay in seconds, clamped to 50 ms .. 60 s."""
    return min(max(_number(body, "retryAfterMs", 1000, 0, 1 << 40, integer=False), 50), 60000) / 1000.0


def reason(body):
    """REFUSE, ERROR and REJECT: ``(code, message)`` as plain text."""
    return _text(body, "code", "unknown"), _text(body, "message")
